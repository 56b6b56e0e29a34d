package org.meshledger.impl.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.meshledger.ConfigurationException;

/** A node's data directory, made at start: the store, the TLS identity, the safety record and the peer list live there. */
final class DataDir {
  private DataDir() {}

  /**
   * Creates {@code dir} and its missing parents. Blocks (file system calls): call it off the event loop.
   *
   * @throws ConfigurationException if a file stands where the directory or one of its parents should be (naming
   *     that file), or if the directory cannot be made for another reason (with it)
   */
  static void create(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      Path file = dir.toAbsolutePath();
      while (file != null && !Files.exists(file)) {
        file = file.getParent();
      }
      if (file != null && !Files.isDirectory(file)) {
        throw new ConfigurationException("the data dir " + dir + (file.equals(dir.toAbsolutePath()) ? "" : " cannot be made: " + file)
            + " is a file, not a directory: give NodeOptions.setDataDir a directory (it is created if missing), or move the file", e);
      }
      throw new ConfigurationException("cannot create the data dir " + dir + ": " + e + "; check its permissions and free space, or"
          + " give NodeOptions.setDataDir another directory", e);
    }
  }
}
