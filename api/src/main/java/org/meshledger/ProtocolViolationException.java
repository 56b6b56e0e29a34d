package org.meshledger;

/** A peer sent something the protocol forbids. The connection that carried it is not to be trusted. */
public class ProtocolViolationException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  public ProtocolViolationException(String message) {
    super(message);
  }

  public ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
