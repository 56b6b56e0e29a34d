/**
 * The cryptography behind the API's {@link org.meshledger.crypto.Ed25519}: Bouncy Castle's Ed25519 on raw byte
 * arrays. Hashing needs nothing here: SHA-256 comes from the JDK, whose intrinsic is faster than Bouncy
 * Castle's on the project's machines.
 */
package org.meshledger.impl.crypto;
