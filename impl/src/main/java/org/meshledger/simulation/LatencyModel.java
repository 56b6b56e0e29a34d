package org.meshledger.simulation;

import java.time.Duration;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The one-way delay of a frame on a link, drawn per frame from the simulation's seeded network random source
 * (so frames on one link may overtake each other when the model is random, as datagrams can; protocols must
 * not rely on order).
 */
@FunctionalInterface
public interface LatencyModel {

  /** The delay in nanoseconds, at least 0, of a frame from node {@code from} to node {@code to}. */
  long sampleNanos(int from, int to, RandomGenerator random);

  /** Every frame takes {@code delay}: the model of the theory (unit delay). */
  static LatencyModel constant(Duration delay) {
    long d = nonNegative(delay, "delay");
    return (from, to, random) -> d;
  }

  /** Uniform between {@code min} and {@code max}. */
  static LatencyModel uniform(Duration min, Duration max) {
    long lo = nonNegative(min, "min");
    long hi = nonNegative(max, "max");
    if (hi < lo) {
      throw new IllegalArgumentException("uniform latency needs min <= max, got " + min + " > " + max);
    }
    return (from, to, random) -> lo == hi ? lo : lo + random.nextLong(hi - lo + 1);
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
    for (int i = 0; i < g; i++) {
      if (matrix[i].length != g) {
        throw new IllegalArgumentException("latency matrix must be square: row " + i + " has " + matrix[i].length + " entries, not " + g);
      }
      for (int j = 0; j < g; j++) {
        m[i][j] = nonNegative(matrix[i][j], "matrix[" + i + "][" + j + "]");
      }
    }
    return (from, to, random) -> {
      int a = groupOf.applyAsInt(from);
      int b = groupOf.applyAsInt(to);
      if (a < 0 || a >= g || b < 0 || b >= g) {
        throw new IllegalArgumentException("latency matrix has " + g + " groups; node " + from + " or " + to + " maps outside them");
      }
      return m[a][b];
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
