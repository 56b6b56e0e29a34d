package org.meshledger.impl.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshledger.PeerAddress;
import org.meshledger.chain.NodeId;
import org.meshledger.crypto.KeyPair;

class PeerBookTest {
  private static final long SEED = Long.getLong("meshledger.seed", System.nanoTime());
  private final NodeId self = KeyPair.generate().nodeId();

  @Test
  void backoffDoublesWithJitterUpToTheCap() {
    PeerBook book = new PeerBook(self, 100, 100, 5_000, new SplittableRandom(SEED));
    for (int failures = 1; failures <= 12; failures++) {
      long base = Math.min(100L << (failures - 1), 5_000);
      for (int i = 0; i < 50; i++) {
        assertThat(book.backoff(failures)).as("seed %d, failures %d", SEED, failures).isBetween(base / 2, base * 3 / 2);
      }
    }
  }

  @Test
  void failedAddressesWaitAndConnectedOnesReset() {
    PeerBook book = new PeerBook(self, 100, 100, 5_000, new SplittableRandom(SEED));
    PeerAddress a = PeerAddress.parse("127.0.0.1:7001");
    book.addBootstrap(a);
    assertThat(book.candidates(5, 0, e -> false)).hasSize(1);
    book.dialing(a);
    assertThat(book.candidates(5, 0, e -> false)).isEmpty();
    book.failed(a, 0);
    book.dialing(a);
    book.failed(a, 0);
    long next = book.get(a).nextAttemptAt;
    assertThat(next).isBetween(100L, 300L);
    assertThat(book.candidates(5, next - 1, e -> false)).isEmpty();
    assertThat(book.candidates(5, next, e -> false)).hasSize(1);
    NodeId id = KeyPair.generate().nodeId();
    book.connected(a, id);
    assertThat(book.get(a).failures).isZero();
    assertThat(book.get(a).id).isEqualTo(id);
  }

  @Test
  void neverDialsItselfAndStaysBounded() {
    PeerBook book = new PeerBook(self, 10, 100, 5_000, new SplittableRandom(SEED));
    book.learned(self, PeerAddress.parse("127.0.0.1:1"));
    assertThat(book.size()).isZero();
    for (int i = 0; i < 100; i++) {
      book.learned(KeyPair.generate().nodeId(), new PeerAddress("10.0.0.1", 1000 + i));
    }
    assertThat(book.size()).isEqualTo(10);
    PeerAddress mine = PeerAddress.parse("127.0.0.1:2");
    book.addBootstrap(mine);
    book.markSelf(mine);
    assertThat(book.candidates(100, Long.MAX_VALUE, e -> false)).noneMatch(e -> e.address.equals(mine));
    assertThat(book.sample(5, e -> true)).hasSize(5);
  }

  @Test
  void rememberedPeersSurviveARestartAndDamagedLinesAreSkipped(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.util.List<Messages.KnownPeer> peers = java.util.List.of(
        new Messages.KnownPeer(KeyPair.generate().nodeId(), PeerAddress.parse("10.0.0.1:7001")),
        new Messages.KnownPeer(KeyPair.generate().nodeId(), PeerAddress.parse("[::1]:7002")));
    PeerFile.save(dir, peers);
    assertThat(PeerFile.load(dir)).isEqualTo(peers);
    java.nio.file.Files.writeString(dir.resolve(PeerFile.FILE_NAME), "garbage\n" + peers.get(0).id().toHex() + " 10.0.0.1:7001\nzz 1:2\n");
    assertThat(PeerFile.load(dir)).containsExactly(peers.get(0));
    assertThat(PeerFile.load(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void bansExpireAndScoresAddUp() {
    Bans bans = new Bans(100, 1_000, 3);
    assertThat(bans.penalize("ip:a", 60, 0)).isFalse();
    assertThat(bans.penalize("ip:a", 40, 10)).isTrue();
    assertThat(bans.isBanned("ip:a", 500)).isTrue();
    assertThat(bans.isBanned("ip:a", 1010)).isFalse();
    assertThat(bans.penalize("ip:b", 60, 0)).isFalse();
    assertThat(bans.penalize("ip:b", 60, 5_000)).as("old points are forgotten").isFalse();
    for (int i = 0; i < 10; i++) {
      bans.penalize("ip:x" + i, 1, 0);
    }
    assertThat(bans.score("ip:b")).as("bounded: oldest dropped").isZero();
  }
}
