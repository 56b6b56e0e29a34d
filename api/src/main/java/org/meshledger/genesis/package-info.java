/**
 * The genesis: the document every node of a chain starts from (its id, members and their roles, validators,
 * consensus timing, incentives and the initial accounts), read from JSON or built in code, and the parameter
 * records it holds. Two nodes are on the same chain exactly when their genesis hashes are equal.
 */
package org.meshledger.genesis;
