/** The quickstart sample: compiles against the API and SPI only. */
module org.meshledger.samples.quickstart {
  requires org.meshledger.spi;
}
