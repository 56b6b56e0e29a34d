package org.meshledger.impl.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.impl.incentives.DefaultRewardRule;
import org.meshledger.impl.incentives.IncentiveState;
import org.meshledger.impl.incentives.Incentives;
import org.meshledger.impl.incentives.ServiceNode;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * What the incentive meters read, fed as the ledger feeds it: the record each stored block set, or none, and at
 * start what the store held. A record that does not decode never reaches the ledger's flow as an exception.
 */
class IncentiveFiguresTest {
  private static final long FUNDS = 1_000_000;
  private final KeyPair validator = KeyPair.generate();
  private final KeyPair secure = KeyPair.generate();
  /** Two eras: the second from block 11; epochs of 8 blocks. */
  private final IncentivePolicy policy = IncentivePolicy.builder().treasury(validator.accountId())
      .service(new IncentivePolicy.ServiceRules(8, 2, 50, 50, Amount.of(42), Amount.of(500), 8, IncentivePolicy.ServiceShare.EQUAL, 4))
      .era(era(1, 100)).era(era(11, 50)).build();
  private final Genesis genesis = Genesis.builder("figures").genesisTime(TestGenesis.TIME).member("solo", validator.nodeId(), Role.VALIDATOR)
      .member("secure", secure.nodeId(), Role.SECURE_NODE).incentives(policy).balance(validator.accountId(), Amount.of(FUNDS)).build();
  private final Incentives incentives = Incentives.of(genesis, new DefaultRewardRule());
  private final IncentiveFigures figures = new IncentiveFigures(genesis, incentives);

  private static IncentivePolicy.Era era(long from, long subsidy) {
    return new IncentivePolicy.Era(from, IncentivePolicy.Subsidy.constant(Amount.of(subsidy)), new TreeMap<>(Map.of(IncentivePolicy.PRODUCERS, 1L)),
        1, IncentivePolicy.FeeRule.SHARED);
  }

  private static AccountId account(int i) {
    byte[] key = new byte[32];
    key[0] = (byte) (i * 37); // not in insertion order once sorted
    key[1] = (byte) i;
    return new AccountId(key);
  }

  @Test
  void beforeAnyBlockTheFiguresAreTheGenesis() {
    figures.resume(0, Optional.empty());
    assertThat(figures.supply()).isEqualTo(FUNDS);
    assertThat(figures.minted()).isZero();
    assertThat(figures.era()).isZero();
    assertThat(figures.epoch()).isZero();
    assertThat(figures.serviceNodes()).as("the genesis's Secure Node").isEqualTo(1);
    assertThat(figures.answered(secure.accountId())).hasValue(0);
    assertThat(figures.answered(validator.accountId())).isEmpty();
  }

  @Test
  void eachStoredRecordReplacesTheFiguresAndABlockWithoutOneKeepsThemAtItsHeight() {
    List<ServiceNode> nodes = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      nodes.add(new ServiceNode(account(i), Role.SECURE_NODE, Amount.ZERO, 0, -1, i, -1, 0, false));
    }
    IncentiveState state = new IncentiveState(Amount.of(5_000), Amount.of(300), null, null, nodes, new TreeMap<>());
    AtomicInteger updates = new AtomicInteger();
    figures.onStored(updates::incrementAndGet);

    figures.stored(7, state.encode());
    assertThat(figures.supply()).isEqualTo(FUNDS + 5_000 - 300);
    assertThat(figures.minted()).isEqualTo(5_000);
    assertThat(figures.burnt()).isEqualTo(300);
    assertThat(figures.epoch()).as("block 8 is the last of epoch 0").isZero();
    assertThat(figures.serviceNodes()).isEqualTo(9);
    for (int i = 0; i < 9; i++) {
      assertThat(figures.answered(account(i))).as("node %d", i).hasValue(i);
    }
    assertThat(figures.answered(account(200))).isEmpty();

    figures.stored(8, null);
    assertThat(figures.minted()).isEqualTo(5_000);
    assertThat(figures.epoch()).as("the next block opens epoch 1").isEqualTo(1);
    figures.stored(10, null);
    assertThat(figures.era()).as("block 11 opens the second era").isEqualTo(1);
    assertThat(updates).hasValue(3);
  }

  @Test
  void aRecordThatDoesNotDecodeIsLoggedNotThrownAndTheFiguresKeepTheStateBeforeIt() {
    IncentiveState state = new IncentiveState(Amount.of(700), Amount.ZERO, null, null, List.of(), new TreeMap<>());
    figures.stored(3, state.encode());
    figures.stored(4, new byte[] {9, 9, 9});
    assertThat(figures.minted()).isEqualTo(700);
    assertThat(figures.epoch()).isZero();
  }

  @Test
  void resumingReadsTheStoredRecord() {
    IncentiveState state = new IncentiveState(Amount.of(1_234), Amount.of(34), null, null, List.of(), new TreeMap<>());
    figures.resume(20, Optional.of(state.encode()));
    assertThat(figures.supply()).isEqualTo(FUNDS + 1_200);
    assertThat(figures.era()).isEqualTo(1);
    assertThat(figures.epoch()).isEqualTo(2);
    assertThat(figures.answered(secure.accountId())).as("the stored record lists no service node").isEqualTo(OptionalLong.empty());
  }
}
