package org.meshledger;

/**
 * A block store could not do what was asked: the file is corrupt or belongs to another chain, the disk
 * failed, or an append broke the chain's rules (wrong height, wrong previous hash). The message says which.
 */
public class StorageException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
