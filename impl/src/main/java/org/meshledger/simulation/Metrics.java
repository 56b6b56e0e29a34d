package org.meshledger.simulation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshledger.PropagationStats.Kind;
import org.meshledger.Spreading;

/** Computes a {@link Report} from the traces of a run. */
final class Metrics {
  private Metrics() {}

  static Report report(Spreading spreading, List<Trace> traces, long[] frames, long[] bytes) {
    int m = traces.size();
    double sum50 = 0;
    double sum90 = 0;
    double sum100 = 0;
    double sumJain = 0;
    int n50 = 0;
    int n90 = 0;
    int n100 = 0;
    int nJain = 0;
    long targets = 0;
    long delivered = 0;
    long nodeMessages = 0;
    for (Trace t : traces) {
      nodeMessages += t.running;
      long[] lat = new long[t.targets.cardinality()];
      int got = 0;
      for (int i = t.targets.nextSetBit(0); i >= 0; i = t.targets.nextSetBit(i + 1)) {
        targets++;
        if (t.arrival[i] >= 0) {
          lat[got++] = t.arrival[i];
        }
      }
      delivered += got;
      if (lat.length == 0) {
        continue;
      }
      long[] have = Arrays.copyOf(lat, got);
      Arrays.sort(have);
      double l50 = quantile(have, lat.length, 0.5);
      double l90 = quantile(have, lat.length, 0.9);
      double l100 = quantile(have, lat.length, 1.0);
      if (!Double.isNaN(l50)) {
        sum50 += l50;
        n50++;
      }
      if (!Double.isNaN(l90)) {
        sum90 += l90;
        n90++;
      }
      if (!Double.isNaN(l100)) {
        sum100 += l100;
        n100++;
      }
      if (got > 0) {
        double s = 0;
        double s2 = 0;
        for (long x : have) {
          s += x;
          s2 += (double) x * x;
        }
        if (s2 > 0) {
          sumJain += s * s / (got * s2);
          nJain++;
        }
      }
    }
    double l50 = n50 == 0 ? Double.NaN : sum50 / n50 / 1e6;
    double l90 = n90 == 0 ? Double.NaN : sum90 / n90 / 1e6;
    double per = nodeMessages == 0 ? Double.NaN : 1.0 / nodeMessages;
    long allBytes = 0;
    for (long b : bytes) {
      allBytes += b;
    }
    return new Report(spreading.toString(), m, l50, l90, n100 == 0 ? Double.NaN : sum100 / n100 / 1e6, l90 / l50,
        nJain == 0 ? Double.NaN : sumJain / nJain, targets == 0 ? Double.NaN : (double) delivered / targets,
        frames[Kind.PAYLOAD.ordinal()] * per, frames[Kind.ANNOUNCE.ordinal()] * per, frames[Kind.REQUEST.ordinal()] * per,
        frames[Kind.STEM.ordinal()] * per, allBytes * per, (bytes[Kind.PAYLOAD.ordinal()] + bytes[Kind.STEM.ordinal()]) * per,
        anonymity(traces));
  }

  /** The time by which a share q of {@code total} targets held the message; NaN if that many never did. */
  private static double quantile(long[] sortedDelivered, int total, double q) {
    int need = Math.max(1, (int) Math.ceil(q * total - 1e-9));
    return need <= sortedDelivered.length ? sortedDelivered[need - 1] : Double.NaN;
  }

  static Anonymity anonymity(List<Trace> traces) {
    Map<Integer, Integer> guesses = new HashMap<>();
    int messages = 0;
    int correct = 0;
    for (Trace t : traces) {
      if (t.originIsSpy) {
        continue;
      }
      messages++;
      int spied = t.firstSpyFrom();
      if (spied >= 0) {
        guesses.merge(spied, 1, Integer::sum);
        if (spied == t.origin) {
          correct++;
        }
      }
    }
    if (messages == 0 || guesses.isEmpty()) {
      return Anonymity.NONE;
    }
    double sum = 0;
    double sum2 = 0;
    for (Trace t : traces) {
      if (!t.originIsSpy && t.firstSpyFrom() >= 0 && t.firstSpyFrom() == t.origin) {
        double term = 1.0 / guesses.get(t.origin);
        sum += term;
        sum2 += term * term;
      }
    }
    double precision = sum / messages;
    double var = Math.max(0, sum2 / messages - precision * precision);
    double half = 1.959964 * Math.sqrt(var / messages);
    double[] w = Anonymity.wilson(correct, messages);
    return new Anonymity(messages, (double) correct / messages, w[0], w[1], precision, Math.max(0, precision - half), Math.min(1, precision + half));
  }

  static double[] latenciesMillis(List<Trace> traces) {
    int count = 0;
    for (Trace t : traces) {
      for (int i = t.targets.nextSetBit(0); i >= 0; i = t.targets.nextSetBit(i + 1)) {
        if (t.arrival[i] >= 0) {
          count++;
        }
      }
    }
    double[] out = new double[count];
    int k = 0;
    for (Trace t : traces) {
      for (int i = t.targets.nextSetBit(0); i >= 0; i = t.targets.nextSetBit(i + 1)) {
        if (t.arrival[i] >= 0) {
          out[k++] = t.arrival[i] / 1e6;
        }
      }
    }
    Arrays.sort(out);
    return out;
  }
}
