/** The supply-chain sample: compiles against the API only; the implementation is found at run time. */
module org.meshledger.samples.supplychain {
  requires org.meshledger;
}
