package org.meshledger.impl.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.meshledger.ConfigurationException;
import org.meshledger.StorageException;
import org.meshledger.chain.Hash;
import org.meshledger.codec.CanonicalReader;
import org.meshledger.codec.CanonicalWriter;
import org.meshledger.codec.DecodeException;
import org.meshledger.impl.consensus.Candidate;
import org.meshledger.impl.consensus.ConsensusMessage;
import org.meshledger.impl.consensus.Proposal;
import org.meshledger.impl.consensus.SafetyRecord;
import org.meshledger.impl.consensus.Vote;

/**
 * A validator's {@link SafetyRecord} in its data directory ({@value #NAME}), so that a restarted validator
 * never signs a second, different message in a slot it already signed.
 *
 * <p>Each {@link #save} writes a temporary sibling, forces it to disk, and renames it over the file
 * (atomically), so a crash leaves the old record or the new one, never a mix. The content ends with the
 * SHA-256 of what precedes it: a file that fails that check, or does not decode, fails {@link #load} with a
 * {@link ConfigurationException} naming the file, because starting without it could make the validator
 * equivocate. Blocking: call off the event loop.
 */
final class SafetyFile {
  static final String NAME = "consensus-safety.bin";
  /** 2 since a candidate carries its previous commit; a record of version 1 is refused. */
  private static final int VERSION = 3; // 3 adds the votes of earlier rounds; 2 is still read
  private static final int MAX_BYTES = 64 << 20;

  private final Path file;

  SafetyFile(Path dataDir) {
    this.file = dataDir.resolve(NAME);
  }

  Path path() {
    return file;
  }

  /** The saved record, or null if none was ever saved. */
  SafetyRecord load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the consensus safety record " + file + ": " + e, e);
    }
    try {
      if (bytes.length < Hash.BYTES || bytes.length > MAX_BYTES) {
        throw new DecodeException("length " + bytes.length);
      }
      byte[] body = Arrays.copyOf(bytes, bytes.length - Hash.BYTES);
      if (!Hash.sha256(body).equals(new Hash(Arrays.copyOfRange(bytes, body.length, bytes.length)))) {
        throw new DecodeException("checksum mismatch");
      }
      return decode(body);
    } catch (DecodeException | IllegalArgumentException | NullPointerException e) {
      throw new ConfigurationException("the consensus safety record " + file + " is corrupt (" + e.getMessage()
          + "); restore it from a backup: starting without it could make this validator sign twice", e);
    }
  }

  /** Replaces the saved record with {@code record}, durably, before returning. */
  void save(SafetyRecord record) {
    byte[] body = encode(record);
    Path tmp = file.resolveSibling(NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.allocate(body.length + Hash.BYTES).put(body).put(Hash.sha256(body).bytes()).flip();
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException e) {
      throw new StorageException("cannot write the consensus safety record " + tmp + ": " + e, e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
    } catch (IOException e) {
      throw new StorageException("cannot replace the consensus safety record " + file + ": " + e, e);
    }
  }

  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some platforms cannot open a directory; the rename is still atomic there
    }
  }

  static byte[] encode(SafetyRecord r) {
    CanonicalWriter w = new CanonicalWriter(1024);
    w.u8(VERSION).i64(r.height()).i32(r.round());
    message(w, r.proposal());
    message(w, r.prevote());
    message(w, r.precommit());
    w.i32(r.lockedRound());
    candidate(w, r.lockedValue());
    w.i32(r.validRound());
    candidate(w, r.validValue());
    w.count(r.validProof().size());
    r.validProof().forEach(v -> w.bytes(ConsensusMessage.encode(v)));
    w.count(r.earlierVotes().size());
    r.earlierVotes().forEach(v -> w.bytes(ConsensusMessage.encode(v)));
    return w.toByteArray();
  }

  static SafetyRecord decode(byte[] body) {
    CanonicalReader r = new CanonicalReader(body);
    int version = r.u8("safety record version");
    if (version != VERSION && version != 2) {
      throw new DecodeException("safety record: version " + version + " is not one this node reads (2 or " + VERSION + ")");
    }
    long height = r.i64("height");
    int round = r.i32("round");
    Proposal proposal = (Proposal) message(r);
    Vote prevote = (Vote) message(r);
    Vote precommit = (Vote) message(r);
    int lockedRound = r.i32("locked round");
    Candidate locked = candidate(r);
    int validRound = r.i32("valid round");
    Candidate valid = candidate(r);
    int n = r.count(10_000, 4, "proof of lock");
    List<Vote> proof = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      proof.add((Vote) ConsensusMessage.decode(r.bytes(MAX_BYTES, "proof vote")));
    }
    List<Vote> earlier = new ArrayList<>();
    if (version >= 3) { // version 2 kept no votes of earlier rounds
      int m = r.count(2 * SafetyRecord.EARLIER_ROUNDS, 4, "votes of earlier rounds");
      for (int i = 0; i < m; i++) {
        earlier.add((Vote) ConsensusMessage.decode(r.bytes(MAX_BYTES, "vote of an earlier round")));
      }
    }
    r.end("safety record");
    return new SafetyRecord(height, round, proposal, prevote, precommit, lockedRound, locked, validRound, valid, proof, earlier);
  }

  private static void message(CanonicalWriter w, ConsensusMessage m) {
    w.bool(m != null);
    if (m != null) {
      w.bytes(ConsensusMessage.encode(m));
    }
  }

  private static ConsensusMessage message(CanonicalReader r) {
    return r.bool("message present") ? ConsensusMessage.decode(r.bytes(MAX_BYTES, "message")) : null;
  }

  private static void candidate(CanonicalWriter w, Candidate c) {
    w.bool(c != null);
    if (c != null) {
      c.writeTo(w);
    }
  }

  private static Candidate candidate(CanonicalReader r) {
    return r.bool("candidate present") ? Candidate.readFrom(r, "candidate") : null;
  }
}
