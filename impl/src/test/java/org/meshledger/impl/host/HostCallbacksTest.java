package org.meshledger.impl.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;
import org.meshledger.chain.Amount;
import org.meshledger.chain.Payload;
import org.meshledger.chain.Transaction;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.host.HostCallbacks.Kind;

/** What the node does with an exception from the host's code: keeps it, counts it, logs it without flooding. */
class HostCallbacksTest {
  private final Lines log = new Lines();
  private final AtomicLong clock = new AtomicLong();
  private final HostCallbacks callbacks = new HostCallbacks("node 0123", log, clock::get, 3, Duration.ofSeconds(60));

  @Test
  void aThrowIsReturnedCountedAndLoggedWithItsKind() {
    IllegalStateException bug = new IllegalStateException("no order for shipment/7");
    Throwable t = callbacks.run(Kind.GOSSIP, () -> "topic 'quotes'", "the message is lost to this handler", () -> {
      throw bug;
    });
    assertThat(t).isSameAs(bug);
    assertThat(callbacks.failures(Kind.GOSSIP)).isEqualTo(1);
    assertThat(callbacks.failures(Kind.BLOCK)).isZero();
    assertThat(log.lines).singleElement().satisfies(l -> assertThat(l).startsWith("WARNING node 0123: a gossip subscriber failed (topic 'quotes'):")
        .contains("java.lang.IllegalStateException: no order for shipment/7", "the message is lost to this handler", "kind=gossip"));
    assertThat(log.thrown).containsExactly(bug);
    assertThat(callbacks.run(Kind.GOSSIP, () -> "", "", () -> { })).isNull();
  }

  @Test
  void errorsAndCheckedExceptionsAreKeptButAVirtualMachineErrorIsRethrown() {
    assertThat(callbacks.run(Kind.BLOCK, () -> "block 3", "goes on", () -> {
      throw new AssertionError("host assert");
    })).isInstanceOf(AssertionError.class);
    assertThat(callbacks.run(Kind.BLOCK, () -> "block 4", "goes on", () -> sneaky(new java.io.IOException("disk"))))
        .isInstanceOf(java.io.IOException.class);
    assertThat(callbacks.call(Kind.BLOCK, () -> "block 5", "goes on", (Supplier<String>) () -> {
      throw new NoClassDefFoundError("Missing");
    }, e -> "fallback")).isEqualTo("fallback");
    assertThat(callbacks.failures(Kind.BLOCK)).isEqualTo(3);

    StackOverflowError overflow = new StackOverflowError();
    assertThatThrownBy(() -> callbacks.run(Kind.BLOCK, () -> "block 6", "goes on", () -> {
      throw overflow;
    })).isSameAs(overflow);
  }

  @Test
  void aHandlerFailingOnEveryCallLogsAFewLinesPerWindowAndCountsAll() {
    for (int i = 0; i < 1_000; i++) {
      callbacks.run(Kind.TRANSACTION, () -> "receipt", "goes on", () -> {
        throw new IllegalArgumentException("always");
      });
    }
    assertThat(callbacks.failures(Kind.TRANSACTION)).isEqualTo(1_000);
    assertThat(log.lines).hasSize(3);

    // Another kind has a window of its own.
    callbacks.run(Kind.SYNC_PROGRESS, () -> "progress", "stays registered", () -> {
      throw new IllegalArgumentException("listener");
    });
    assertThat(log.lines).hasSize(4);

    clock.addAndGet(Duration.ofSeconds(61).toNanos());
    callbacks.run(Kind.TRANSACTION, () -> "receipt", "goes on", () -> {
      throw new IllegalArgumentException("always");
    });
    assertThat(log.lines).hasSize(5);
    assertThat(log.lines.get(4)).contains("997 more failures of a transaction handler were not logged");
    assertThat(callbacks.failures(Kind.TRANSACTION)).isEqualTo(1_001);
  }

  @Test
  void aThrowingValidatorRejectsWithAReasonNamingTheException() {
    KeyPair sender = KeyPair.generate();
    Transaction tx = Transaction.sign("chain", sender, 0, Amount.of(1), Payload.DataWrite.of("k", new byte[] {1}));
    TransactionValidator throwing = (t, state) -> {
      throw new IllegalStateException("no order for k");
    };
    Verification v = callbacks.validator(throwing).check(tx, null);
    assertThat(v.valid()).isFalse();
    assertThat(v.reason()).isEqualTo("it threw java.lang.IllegalStateException: no order for k");
    assertThat(callbacks.validator((t, state) -> null).check(tx, null).reason()).isEqualTo(HostCallbacks.NO_VERDICT);
    assertThat(callbacks.validator((t, state) -> Verification.failed("frozen")).check(tx, null).reason()).isEqualTo("frozen");
    assertThat(callbacks.failures(Kind.VALIDATOR)).isEqualTo(2);
    assertThat(log.lines).allSatisfy(l -> assertThat(l).contains("a transaction validator failed (transaction " + tx.id() + ")"));
    assertThat(callbacks.validator(TransactionValidator.ACCEPT_ALL)).isSameAs(TransactionValidator.ACCEPT_ALL);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneaky(Throwable e) throws E {
    throw (E) e;
  }

  /** A System.Logger that keeps what it is given. */
  private static final class Lines implements Logger {
    final List<String> lines = new ArrayList<>();
    final List<Throwable> thrown = new ArrayList<>();

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable t) {
      lines.add(level + " " + msg);
      thrown.add(t);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + format);
    }
  }
}
