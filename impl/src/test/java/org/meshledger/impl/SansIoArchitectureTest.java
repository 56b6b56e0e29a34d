package org.meshledger.impl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The protocol cores are sans-IO, checked on their compiled classes (ArchUnit), not on source text: they reach time,
 * randomness, the network and the disk only through the host or runtime their driver gives them. No real clock, no
 * random source of their own, no sleeping, no threads or executors, no sockets, no Vert.x. Otherwise a simulated
 * run would not replay, and the code would not run unchanged under the Vert.x driver and the simulator. Thread-safe
 * collections are allowed: a core's status may be read from other threads.
 */
class SansIoArchitectureTest {
  @ParameterizedTest
  @ValueSource(strings = {"consensus", "spreading", "ledger", "sync", "incentives"})
  void coreUsesOnlyItsHost(String core) {
    Path dir = Path.of("target/classes/org/meshledger/impl/" + core);
    assertThat(Files.isDirectory(dir)).as("compiled classes of %s (run from the module directory)", core).isTrue();
    JavaClasses classes = new ClassFileImporter().importPath(dir);
    assertThat(classes).as("classes of %s", core).isNotEmpty();
    check(classes);
  }

  /** The node package's ledger core and the in-memory state it decides on, beside the Vert.x driver that runs them. */
  @org.junit.jupiter.api.Test
  void ledgerCoreOfTheNodeUsesOnlyItsDriver() {
    Path dir = Path.of("target/classes/org/meshledger/impl/node");
    JavaClasses classes = new ClassFileImporter().importPath(dir).that(
        com.tngtech.archunit.base.DescribedPredicate.describe("the ledger core and its state",
            c -> List.of("LedgerCore", "CommittedView", "BlockMaterials").contains(c.getSimpleName())));
    assertThat(classes).hasSize(3);
    check(classes);
  }

  private static void check(JavaClasses classes) {

    ArchRule noIo = noClasses().that().doNotHaveSimpleName("RelayPropagator")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "java.net..", "java.nio.channels..")
        .orShould().dependOnClassesThat().belongToAnyOf(java.util.concurrent.Executor.class, java.util.concurrent.Executors.class,
            java.util.concurrent.ExecutorService.class, java.util.concurrent.ScheduledExecutorService.class,
            java.util.concurrent.ForkJoinPool.class, java.util.concurrent.CompletableFuture.class, java.util.concurrent.ThreadLocalRandom.class,
            java.util.Timer.class)
        .because("a core gets the network, timers and threads from its driver (RelayPropagator, the Propagator a host calls"
            + " from any thread, hands each call to the node's thread: it fronts the relay core and is not part of it)");
    ArchRule noClock = noClasses().should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasName.Predicates.name("now")).and(
            com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("java.time..")))))
        .orShould().dependOnClassesThat().belongToAnyOf(java.time.Clock.class, java.time.InstantSource.class)
        .because("time comes from the host (virtual in the simulator)");
    ArchRule noRandomness = noClasses().should().callConstructor(java.util.Random.class)
        .orShould().callConstructor(java.util.Random.class, long.class)
        .orShould().callConstructor(java.security.SecureRandom.class)
        .orShould().callConstructor(java.util.SplittableRandom.class)
        .orShould().callConstructor(java.util.SplittableRandom.class, long.class)
        .orShould().callMethod(Math.class, "random")
        .orShould().dependOnClassesThat().belongToAnyOf(java.security.SecureRandom.class)
        .because("randomness is seeded by the host, so a simulated run replays");
    ArchRule noThreads = noClasses().should().callMethod(Thread.class, "sleep", long.class)
        .orShould().callConstructor(Thread.class, Runnable.class)
        .orShould().callMethod(Thread.class, "start")
        .because("a core runs on its driver's one thread");
    noIo.check(classes);
    noClock.check(classes);
    noRandomness.check(classes);
    noThreads.check(classes);
  }
}
