/**
 * Contract test kits: abstract JUnit 5 classes that an implementation of an SPI extends to show it behaves as
 * the node expects. {@link org.meshledger.spi.contract.SpreadingProtocolContract} drives a spreading protocol on
 * a scripted node ({@link org.meshledger.spi.contract.ScriptedNode}) and checks that published messages leave,
 * public ones are not sent back or stemmed, stems are never dropped, timers end, disconnected peers get
 * nothing, and one seed gives one behaviour.
 */
package org.meshledger.spi.contract;
