/** JMH benchmarks of the ledger core. Run on the class path by JMH (see the module's pom). */
module org.meshledger.samples.benchmarks {
  requires org.meshledger.spi;
  requires org.bouncycastle.provider;
  requires jmh.core;
}
