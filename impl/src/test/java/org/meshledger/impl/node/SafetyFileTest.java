package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshledger.ConfigurationException;
import org.meshledger.chain.BlockHeader;
import org.meshledger.chain.Hash;
import org.meshledger.chain.MerkleTree;
import org.meshledger.chain.ValidatorSet;
import org.meshledger.crypto.KeyPair;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.consensus.Proposal;
import org.meshledger.impl.consensus.SafetyRecord;
import org.meshledger.impl.consensus.Vote;
import org.meshledger.impl.consensus.VoteType;

class SafetyFileTest {
  static final String CHAIN = "safety-test";

  @Test
  void aSavedRecordLoadsBackEqualAndReplacesTheOldOne(@TempDir Path dir) {
    SafetyFile file = new SafetyFile(dir);
    assertThat(file.load()).as("no record before the first save").isNull();
    KeyPair key = KeyPair.generate();
    Hash block6 = Hash.sha256(new byte[] {7});
    org.meshledger.chain.CommitCertificate previous = new org.meshledger.chain.CommitCertificate(6, 0, block6,
        List.of(org.meshledger.chain.CommitCertificate.precommit(key, CHAIN, 6, 0, block6)));
    Candidate value = Candidate.of(new BlockHeader(CHAIN, 7, block6, previous.hash(), 1_000, key.nodeId(),
        MerkleTree.rootOf(List.of()), 0, Hash.sha256(new byte[] {6}), ValidatorSet.of(List.of(key.nodeId())).hash()), List.of(),
        java.util.Optional.of(previous));
    Proposal p = Proposal.sign(key, CHAIN, 7, 2, value, -1);
    Vote prevote = Vote.sign(key, CHAIN, VoteType.PREVOTE, 7, 2, value.hash());
    Vote precommit = Vote.sign(key, CHAIN, VoteType.PRECOMMIT, 7, 2, null);
    Vote earlierPrevote = Vote.sign(key, CHAIN, VoteType.PREVOTE, 7, 1, value.hash());
    Vote earlierPrecommit = Vote.sign(key, CHAIN, VoteType.PRECOMMIT, 7, 1, null);
    SafetyRecord record = new SafetyRecord(7, 2, p, prevote, precommit, 1, value, 1, value, List.of(prevote),
        List.of(earlierPrevote, earlierPrecommit));
    file.save(new SafetyRecord(6, 0, null, null, null, -1, null, -1, null, List.of()));
    file.save(record);

    SafetyRecord loaded = file.load();
    assertThat(loaded.height()).isEqualTo(7);
    assertThat(loaded.round()).isEqualTo(2);
    assertThat(ConsensusMessage.encode(loaded.proposal())).isEqualTo(ConsensusMessage.encode(p));
    assertThat(loaded.prevote()).isEqualTo(prevote);
    assertThat(loaded.precommit()).isEqualTo(precommit);
    assertThat(loaded.lockedValue()).isEqualTo(value);
    assertThat(loaded.validValue()).isEqualTo(value);
    assertThat(loaded.validProof()).containsExactly(prevote);
    assertThat(loaded.earlierVotes()).as("the votes of the round it left, to send again after a restart")
        .containsExactly(earlierPrevote, earlierPrecommit);
    assertThat(SafetyFile.encode(loaded)).isEqualTo(SafetyFile.encode(record));
    assertThat(dir.resolve(SafetyFile.NAME + ".tmp")).doesNotExist();
  }

  @Test
  void aRecordOfTheEarlierVersionStillLoads() {
    KeyPair key = KeyPair.generate();
    Vote prevote = Vote.sign(key, CHAIN, VoteType.PREVOTE, 3, 1, null);
    byte[] v3 = SafetyFile.encode(new SafetyRecord(3, 1, null, prevote, null, -1, null, -1, null, List.of()));
    // version 2 is version 3 without the trailing count of earlier votes (none here: a four-byte zero)
    byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 4);
    v2[0] = 2;
    SafetyRecord loaded = SafetyFile.decode(v2);
    assertThat(loaded.prevote()).isEqualTo(prevote);
    assertThat(loaded.earlierVotes()).isEmpty();
  }

  @Test
  void aCorruptRecordFailsWithAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    SafetyFile file = new SafetyFile(dir);
    file.save(new SafetyRecord(3, 1, null, null, null, -1, null, -1, null, List.of()));
    byte[] bytes = Files.readAllBytes(file.path());
    bytes[5] ^= 1;
    Files.write(file.path(), bytes);
    assertThatThrownBy(file::load).isInstanceOf(ConfigurationException.class).hasMessageContaining(file.path().toString())
        .hasMessageContaining("corrupt");
    Files.write(file.path(), new byte[] {1, 2});
    assertThatThrownBy(file::load).isInstanceOf(ConfigurationException.class).hasMessageContaining(SafetyFile.NAME);
  }
}
