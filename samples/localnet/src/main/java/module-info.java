/** The local network sample: compiles against the API only. */
module org.meshledger.samples.localnet {
  requires org.meshledger;
}
