package org.meshledger.codec;

import org.meshledger.MeshledgerException;

/**
 * Bytes that are not a valid canonical encoding: truncated, over a declared bound, with an unknown version
 * or kind, with trailing bytes, or otherwise malformed. The only exception decoding throws.
 */
public final class DecodeException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }
}
