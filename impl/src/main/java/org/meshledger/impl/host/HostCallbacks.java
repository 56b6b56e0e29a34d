package org.meshledger.impl.host;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.meshledger.TransactionValidator;
import org.meshledger.Verification;

/**
 * The one way a node calls into its host's code: gossip subscribers, block and transaction handlers, sync
 * progress listeners and the {@link TransactionValidator} are all called through here. Whatever the host's code
 * throws stays here: it is counted by {@link Kind}, logged at WARNING (at most {@code linesPerWindow} lines per kind
 * per window, the rest counted and summed up in the next line), and handed back to the caller as a value, so it
 * is never a disconnect, a ban score, or an exception inside consensus, sync or spreading. Only a
 * {@link VirtualMachineError} (out of memory, stack overflow) is rethrown: the JVM is in no state to go on as if
 * nothing happened.
 *
 * <p>Thread-safe; calls run on the caller's thread (the node's context). The cost on the normal path is one
 * try block; logging and counting happen only on failure.
 */
public final class HostCallbacks {
  /** What kind of host code failed: the {@code kind} tag of {@code meshledger.host.callback.failures}. */
  public enum Kind {
    /** A {@code Propagator.subscribe} handler. */
    GOSSIP("gossip", "gossip subscriber"),
    /** A {@code Ledger.onBlock} or {@code onBlockAsync} handler. */
    BLOCK("block", "block handler"),
    /** A {@code Ledger.onTransaction} handler. */
    TRANSACTION("transaction", "transaction handler"),
    /** A {@code Node.onSyncProgress} listener. */
    SYNC_PROGRESS("sync-progress", "sync progress listener"),
    /** The host's {@code TransactionValidator}. */
    VALIDATOR("validator", "transaction validator"),
    /** A {@code org.meshledger.testing.SpreadTrace} given as a plug-in. */
    SPREAD_TRACE("spread-trace", "spread trace");

    private final String tag;
    private final String noun;

    Kind(String tag, String noun) {
      this.tag = tag;
      this.noun = noun;
    }

    /** The metric tag's value. */
    public String tag() {
      return tag;
    }
  }

  /** A failing handler is logged this many times per kind per {@link #DEFAULT_WINDOW} at most. */
  public static final int DEFAULT_LINES_PER_WINDOW = 3;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
  private static final int MAX_MESSAGE_CHARS = 300;

  private final String owner;
  private final Logger log;
  private final LongSupplier nanoTime;
  private final int linesPerWindow;
  private final long windowNanos;
  private final AtomicLongArray failures = new AtomicLongArray(Kind.values().length);
  private final Window[] windows = new Window[Kind.values().length];

  /** Failures logged to {@code org.meshledger.host}, each line starting with {@code owner} (such as "node 3fa4..."). */
  public HostCallbacks(String owner) {
    this(owner, System.getLogger("org.meshledger.host"), System::nanoTime, DEFAULT_LINES_PER_WINDOW, DEFAULT_WINDOW);
  }

  /** For tests: a logger, a clock and bounds of one's own. */
  public HostCallbacks(String owner, Logger log, LongSupplier nanoTime, int linesPerWindow, Duration window) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.log = Objects.requireNonNull(log, "log");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    if (linesPerWindow < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("need at least 1 line per window and a positive window, got " + linesPerWindow + " per " + window);
    }
    this.linesPerWindow = linesPerWindow;
    this.windowNanos = window.toNanos();
    for (int i = 0; i < windows.length; i++) {
      windows[i] = new Window();
    }
  }

  /**
   * Runs host code.
   *
   * @param what names the call for the log line (the topic, the height): built only if the call fails
   * @param consequence what the node does about a failure, for the log line ("the subscription goes on")
   * @return null if {@code call} returned normally, else what it threw (already logged and counted)
   * @throws VirtualMachineError if the host's code threw one
   */
  public Throwable run(Kind kind, Supplier<String> what, String consequence, Runnable call) {
    try {
      call.run();
      return null;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(kind, what.get(), consequence, e);
      return e;
    }
  }

  /**
   * Calls host code for a value.
   *
   * @param onFailure the value to go on with if {@code call} throws (after the failure is logged and counted)
   * @throws VirtualMachineError if the host's code threw one
   */
  public <T> T call(Kind kind, Supplier<String> what, String consequence, Supplier<T> call, Function<Throwable, T> onFailure) {
    try {
      return call.get();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      failed(kind, what.get(), consequence, e);
      return onFailure.apply(e);
    }
  }

  /**
   * The host's {@code validator}, made safe to run inside block execution: a throw becomes a rejection whose
   * reason names the exception ({@code it threw java.lang.IllegalStateException: its message}), and a null verdict
   * a rejection too; both are logged and counted. The reason is the exception's class and message, so it is the
   * same on every node as long as the validator is deterministic, as its contract requires.
   */
  public TransactionValidator validator(TransactionValidator validator) {
    Objects.requireNonNull(validator, "validator");
    if (validator == TransactionValidator.ACCEPT_ALL) {
      return validator;
    }
    return (tx, state) -> {
      Verification v = call(Kind.VALIDATOR, () -> "transaction " + tx.id(), "the transaction is rejected",
          () -> validator.check(tx, state), e -> Verification.failed(threw(e)));
      if (v == null) {
        failed(Kind.VALIDATOR, "transaction " + tx.id(), "the transaction is rejected",
            new NullPointerException("check returned null instead of a Verification"));
        return Verification.failed(NO_VERDICT);
      }
      return v;
    };
  }

  /** The rejection reason of a validator that returned null. */
  public static final String NO_VERDICT = "it returned no verdict";

  /** The rejection reason of a validator that threw {@code e}: its class and (cut) message. */
  public static String threw(Throwable e) {
    String m = e.getMessage();
    return "it threw " + e.getClass().getName() + (m == null ? "" : ": " + cut(m));
  }

  /**
   * Counts and logs a failure that host code reported without throwing (a failed future).
   *
   * @param what names the call (the topic, the height)
   * @param consequence what the node does about it
   */
  public void failed(Kind kind, String what, String consequence, Throwable cause) {
    failures.incrementAndGet(kind.ordinal());
    Window w = windows[kind.ordinal()];
    long suppressed;
    synchronized (w) {
      long now = nanoTime.getAsLong();
      if (!w.started || now - w.start >= windowNanos) {
        w.started = true;
        w.start = now;
        w.lines = 0;
      }
      if (w.lines >= linesPerWindow) {
        w.suppressed++;
        return;
      }
      w.lines++;
      suppressed = w.suppressed;
      w.suppressed = 0;
    }
    String more = suppressed == 0 ? "" : "; " + suppressed + " more failures of a " + kind.noun + " were not logged before this one";
    String line = String.format(Locale.ROOT, "%s: a %s failed (%s): %s; %s. The host's code failed, not a peer: the node goes on"
        + " (at most %d such lines per %d s; meshledger.host.callback.failures{kind=%s} counts them all%s)",
        owner, kind.noun, what, cut(cause.toString()), consequence, linesPerWindow, Math.max(1, windowNanos / 1_000_000_000L), kind.tag, more);
    log.log(Level.WARNING, line, cause);
  }

  /** How many calls of {@code kind} failed so far. */
  public long failures(Kind kind) {
    return failures.get(kind.ordinal());
  }

  private static String cut(String s) {
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private static final class Window {
    boolean started;
    long start;
    int lines;
    long suppressed;
  }
}
