package org.meshledger.simulation;

import java.time.Duration;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The one-way delay of a frame on a link, drawn per frame from the sending node's seeded random source (so
 * frames on one link may overtake each other when the model is random, as datagrams can; protocols must not
 * rely on order).
 *
 * <p>A model may state a floor, {@link #minNanos()}, below which it never draws: a simulation on several threads
 * needs one (each thread runs that far ahead of the others, ADR 023), and then calls the model from several
 * threads at once, so a model must keep no state of its own.
 */
@FunctionalInterface
public interface LatencyModel {

  /** The delay in nanoseconds, at least 0, of a frame from node {@code from} to node {@code to}. */
  long sampleNanos(int from, int to, RandomGenerator random);

  /** A floor of every delay this model draws, in nanoseconds; 0 (the default) if it states none. */
  default long minNanos() {
    return 0;
  }

  /**
   * This model, with every delay below {@code floor} raised to it: the floor a simulation on several threads
   * needs. For the default log-normal, a floor of 5 ms moves about two frames in a million.
   */
  default LatencyModel atLeast(Duration floor) {
    long f = nonNegative(floor, "floor");
    LatencyModel inner = this;
    return bounded(Math.max(f, inner.minNanos()), (from, to, random) -> Math.max(f, inner.sampleNanos(from, to, random)));
  }

  /** Every frame takes {@code delay}: the model of the theory (unit delay). */
  static LatencyModel constant(Duration delay) {
    long d = nonNegative(delay, "delay");
    return bounded(d, (from, to, random) -> d);
  }

  /** Uniform between {@code min} and {@code max}. */
  static LatencyModel uniform(Duration min, Duration max) {
    long lo = nonNegative(min, "min");
    long hi = nonNegative(max, "max");
    if (hi < lo) {
      throw new IllegalArgumentException("uniform latency needs min <= max, got " + min + " > " + max);
    }
    return bounded(lo, (from, to, random) -> lo == hi ? lo : lo + random.nextLong(hi - lo + 1));
  }

  /**
   * Log-normal with the given median and shape {@code sigma} (the standard deviation of the logarithm): a
   * long right tail, as measured on the Internet. sigma = 0.5 puts 90% of frames within 0.44x to 2.3x the median.
   */
  static LatencyModel logNormal(Duration median, double sigma) {
    long m = nonNegative(median, "median");
    if (!(sigma >= 0 && sigma <= 5)) {
      throw new IllegalArgumentException("log-normal sigma must be from 0 to 5, got " + sigma);
    }
    return (from, to, random) -> (long) (m * Math.exp(sigma * random.nextGaussian()));
  }

  /**
   * Delays between groups of nodes (regions, data centres): {@code matrix[groupOf(from)][groupOf(to)]}.
   * With {@code groupOf} the identity, a full node-by-node matrix.
   */
  static LatencyModel matrix(Duration[][] matrix, IntUnaryOperator groupOf) {
    Objects.requireNonNull(groupOf, "groupOf");
    int g = matrix.length;
    long[][] m = new long[g][g];
    long min = Long.MAX_VALUE;
    for (int i = 0; i < g; i++) {
      if (matrix[i].length != g) {
        throw new IllegalArgumentException("latency matrix must be square: row " + i + " has " + matrix[i].length + " entries, not " + g);
      }
      for (int j = 0; j < g; j++) {
        m[i][j] = nonNegative(matrix[i][j], "matrix[" + i + "][" + j + "]");
        min = Math.min(min, m[i][j]);
      }
    }
    return bounded(g == 0 ? 0 : min, (from, to, random) -> {
      int a = groupOf.applyAsInt(from);
      int b = groupOf.applyAsInt(to);
      if (a < 0 || a >= g || b < 0 || b >= g) {
        throw new IllegalArgumentException("latency matrix has " + g + " groups; node " + from + " or " + to + " maps outside them");
      }
      return m[a][b];
    });
  }

  /** {@code model}, stating {@code min} as its floor. */
  private static LatencyModel bounded(long min, LatencyModel model) {
    return new LatencyModel() {
      @Override
      public long sampleNanos(int from, int to, RandomGenerator random) {
        return model.sampleNanos(from, to, random);
      }

      @Override
      public long minNanos() {
        return min;
      }
    };
  }

  private static long nonNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException("latency " + what + " cannot be negative: " + d);
    }
    return d.toNanos();
  }
}
