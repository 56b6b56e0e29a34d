package org.meshledger.impl.node;

import org.meshledger.Node;

/** The implementation behind {@link Node#builder()}, found through {@link java.util.ServiceLoader}. */
public final class VertxNodeFactory implements Node.Factory {
  @Override
  public Node create(Node.Builder builder) {
    return new VertxNode(builder);
  }
}
