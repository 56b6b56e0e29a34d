package org.meshledger;

/**
 * The root of every exception Meshledger throws. Unchecked: expected outcomes (a rejected transaction, a
 * failed verification) are values, and an exception means something the caller did not expect.
 */
public class MeshledgerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MeshledgerException(String message) {
    super(message);
  }

  public MeshledgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
