/** A custom reward rule: compiles against the SPI only and registers itself as a service. */
module org.meshledger.samples.rewardrule {
  requires transitive org.meshledger.spi; // the exported rule names the SPI's types

  exports org.meshledger.samples.rewardrule;

  provides org.meshledger.spi.RewardRule with org.meshledger.samples.rewardrule.ValidatorsOnlyRule;
}
