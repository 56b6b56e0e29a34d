package org.meshledger;

/**
 * A configuration input (genesis file, key file, options) is missing, malformed or inconsistent. The
 * message names the file and the field, and what a valid value looks like.
 */
public class ConfigurationException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
