package org.meshledger.simulation;

import java.util.Locale;

/**
 * How well the first-spy estimator names the origins of messages: for each message, the spies guess the node
 * that first sent it (or announced it) to any of them. Messages whose origin is a spy are left out.
 *
 * <p>Recall is the share of messages whose origin the guess names (the detection probability), with a 95%
 * Wilson score interval. Precision is Fanti et al.'s: each correct guess counts 1 divided by the number of
 * messages attributed to the same node, averaged over messages; its interval is a normal approximation over
 * those per-message terms. Precision assumes, like the paper, that each origin sends one message.
 *
 * @param messages messages with an honest origin
 * @param recall the share correctly attributed
 * @param recallLow lower end of the 95% interval of recall
 * @param recallHigh upper end
 * @param precision mean precision
 * @param precisionLow lower end of its 95% interval
 * @param precisionHigh upper end
 */
public record Anonymity(int messages, double recall, double recallLow, double recallHigh, double precision, double precisionLow, double precisionHigh) {
  /** No spies, or no messages. */
  public static final Anonymity NONE = new Anonymity(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static String csvHeader() {
    return "anon_messages,recall,recall_lo,recall_hi,precision,precision_lo,precision_hi";
  }

  String csv() {
    return String.format(Locale.ROOT, "%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f", messages, recall, recallLow, recallHigh, precision, precisionLow, precisionHigh);
  }

  /** The 95% Wilson score interval of {@code successes} out of {@code n}. */
  static double[] wilson(int successes, int n) {
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double z = 1.959964;
    double p = (double) successes / n;
    double denom = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "recall %.3f [%.3f, %.3f], precision %.3f [%.3f, %.3f] over %d messages",
        recall, recallLow, recallHigh, precision, precisionLow, precisionHigh, messages);
  }
}
