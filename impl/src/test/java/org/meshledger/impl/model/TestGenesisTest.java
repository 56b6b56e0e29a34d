package org.meshledger.impl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.meshledger.IncentivePolicy;
import org.meshledger.chain.Amount;
import org.meshledger.crypto.KeyPair;
import org.meshledger.genesis.Genesis;
import org.meshledger.genesis.Role;
import org.meshledger.spi.testsupport.TestGenesis;

/**
 * The SPI's genesis fixture gives the members, roles, keys and fields a test asks for, in the documented order. (Here
 * and not beside it: keys need an Ed25519 provider, which the SPI's tests lack.)
 */
class TestGenesisTest {
  @Test
  void membersAreValidatorsThenObserversThenTheOtherRolesWithTheGivenKeysFirst() {
    KeyPair first = KeyPair.generate();
    KeyPair alice = KeyPair.generate();
    TestGenesis net = TestGenesis.chain("roles").validators(2).observers(1).members(2, Role.SECURE_NODE).members(1, Role.SUPER_NODE)
        .keys(first).fund(7, alice).build();
    Genesis g = net.genesis();

    assertThat(net.size()).isEqualTo(6);
    assertThat(g.members()).extracting(m -> m.roles()).containsExactly(Set.of(Role.VALIDATOR), Set.of(Role.VALIDATOR),
        Set.of(Role.OBSERVER), Set.of(Role.SECURE_NODE), Set.of(Role.SECURE_NODE), Set.of(Role.SUPER_NODE));
    for (int i = 0; i < net.size(); i++) {
      assertThat(g.members().get(i).name()).isEqualTo("node-" + i);
      assertThat(g.members().get(i).key()).isEqualTo(net.key(i).nodeId());
    }
    assertThat(net.key(0)).isSameAs(first);
    assertThat(g.balances()).containsExactly(java.util.Map.entry(alice.accountId(), Amount.of(7)));
    assertThat(g.genesisTime()).isEqualTo(TestGenesis.TIME);
    assertThat(g.permissioned()).isTrue();
    assertThat(g.incentives()).isEqualTo(IncentivePolicy.feesTo(first.accountId()));
  }

  @Test
  void aSetTimeAndASeedGiveTheSameGenesisTwice() {
    Instant time = Instant.ofEpochMilli(1_700_000_000_000L);
    Genesis a = TestGenesis.chain("seeded").validators(3).keySeed(42).genesisTime(time).open().build().genesis();
    Genesis b = TestGenesis.chain("seeded").validators(3).keySeed(42).genesisTime(time).open().build().genesis();

    assertThat(a.genesisTime()).isEqualTo(time);
    assertThat(a.permissioned()).isFalse();
    assertThat(a.hash()).isEqualTo(b.hash());
  }

  @Test
  void validatorsAreCountedOnlyWithValidators() {
    assertThatThrownBy(() -> TestGenesis.chain("c").members(1, Role.VALIDATOR, Role.OBSERVER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validators(n)");
    assertThatThrownBy(() -> TestGenesis.chain("c").members(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one role");
    assertThatThrownBy(() -> TestGenesis.chain("c").keys(KeyPair.generate(), KeyPair.generate()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 keys given for 1 members");
  }
}
