/**
 * What every module's tests share beyond the contract kits: {@link org.meshledger.spi.testsupport.Await}, the one
 * way a test waits for a condition (a timeout that says what it waited for and what it saw last), and
 * {@link org.meshledger.spi.testsupport.TestGenesis}, a genesis with generated keys for the few things tests vary
 * (members and their roles, keys, balances, consensus timing, incentives, genesis time), and
 * {@link org.meshledger.spi.testsupport.LogCapture}, which keeps a negative test's expected log records and traces
 * out of the build's output while the test asserts them. All need only {@code api}, so a host's own tests can use
 * them from the SPI's test-jar too. {@link org.meshledger.spi.testsupport.VertxIssue6087} leaves one known Vert.x
 * trace out of a module's test log, counted, where the module registers it.
 */
package org.meshledger.spi.testsupport;
