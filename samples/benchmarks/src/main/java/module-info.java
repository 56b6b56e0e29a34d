/** JMH benchmarks of the ledger core, and mains that measure real nodes. Run on the class path (see the module's pom). */
module org.meshledger.samples.benchmarks {
  requires org.meshledger.spi;
  requires org.meshledger.impl; // the simulator, for PropagationStudy
  requires org.bouncycastle.provider;
  requires jmh.core;
  requires jdk.management; // process CPU time for LedgerThroughput
  requires jdk.jfr; // JfrSummary reads recordings
}
