package org.meshledger.impl.model;

import org.meshledger.genesis.Genesis;

/** The complete example of docs/genesis.md, parsed from the doc. */
final class GenesisDocExample {
  private GenesisDocExample() {}

  static String json() {
    String json = DocBlocks.read("genesis.md", "json").get("genesis-example");
    if (json == null) {
      throw new IllegalStateException("docs/genesis.md has no ```json genesis-example block");
    }
    return json;
  }

  static Genesis parse() {
    return Genesis.fromJson(json());
  }
}
