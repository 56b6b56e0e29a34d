package org.meshledger.samples.rewardrule;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshledger.spi.RewardRule;
import org.meshledger.spi.RewardRules;

/** A node finds the rule by the name its genesis gives, on the class path and on the module path. */
class RewardRuleDiscoveryTest {

  @Test
  void theRuleIsFoundByNameThroughServiceLoader() {
    RewardRule rule = RewardRules.find(ValidatorsOnlyRule.NAME);
    assertThat(rule).isInstanceOf(ValidatorsOnlyRule.class);
    assertThat(rule.name()).isEqualTo("validators-only");
  }

  @Test
  void theModuleDescriptorProvidesTheRuleForTheModulePath() throws URISyntaxException {
    // The tests run on the class path (META-INF/services); this reads the compiled descriptor that the module path uses.
    Path classes = Path.of(ValidatorsOnlyRule.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor descriptor = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
    assertThat(descriptor.provides()).extracting(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers)
        .contains(org.assertj.core.groups.Tuple.tuple(RewardRule.class.getName(), List.of(ValidatorsOnlyRule.class.getName())));
  }
}
