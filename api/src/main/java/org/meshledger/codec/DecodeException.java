package org.meshledger.codec;

import org.meshledger.MeshledgerException;

/**
 * Bytes that are not a valid canonical encoding: truncated, over a declared bound, with an unknown version
 * or kind, with trailing bytes, or otherwise malformed; or a file of such encodings (a receipt proof file) that
 * is malformed, with the entry and field named. The only exception decoding throws.
 */
public final class DecodeException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }
}
