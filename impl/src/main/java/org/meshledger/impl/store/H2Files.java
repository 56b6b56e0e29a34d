package org.meshledger.impl.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.meshledger.StorageException;

/** Opening an MVStore file, with errors that name the file and say what is wrong with it. */
final class H2Files {
  /** Every MVStore file starts with its header, {@code H:2,...}. */
  private static final byte[] MAGIC = "H:2,".getBytes(StandardCharsets.US_ASCII);

  /**
   * How much changed, uncommitted data (H2's estimate of its size in memory) the store lets H2 hold before it
   * commits at the next group's end: 64 MB, or a sixteenth of the heap if that is less, at least 16 MB (ADR 010,
   * "H2 never commits by itself").
   */
  static final long UNSAVED_BYTES = Math.min(64L << 20, Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 16));

  private H2Files() {}

  /** An H2 file that exists but cannot be read: corrupt, so the store rebuilds it from its block log. */
  static final class Unreadable extends StorageException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static MVStore open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (Files.exists(file) && Files.size(file) > 0) {
        checkMagic(file);
      }
    } catch (IOException e) {
      throw new StorageException("cannot open block store " + file + ": " + e, e);
    }
    try {
      MVStore store = new MVStore.Builder()
          .fileName(file.toString())
          .autoCommitDisabled() // no background thread ...
          .autoCommitBufferSize(0) // ... and no commit when unsaved changes pass a size: only the store commits (UNSAVED_BYTES)
          .open();
      store.setRetentionTime(H2Index.RETENTION_MILLIS);
      return store;
    } catch (MVStoreException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("locked")) {
        throw new StorageException("block store " + file + " is in use by another store or process (only one may open it): " + message, e);
      }
      throw new Unreadable("block store " + file + " is corrupt or not an H2 MVStore file: " + message, e);
    } catch (RuntimeException e) {
      throw new Unreadable("block store " + file + " cannot be opened: " + e, e);
    }
  }

  private static void checkMagic(Path file) throws IOException {
    byte[] start = new byte[MAGIC.length];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(start, 0, start.length);
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (i >= n || start[i] != MAGIC[i]) {
        throw new StorageException("block store " + file + " is not an H2 MVStore file (it does not start with 'H:2,'); move it away or"
            + " choose another data directory");
      }
    }
  }
}
