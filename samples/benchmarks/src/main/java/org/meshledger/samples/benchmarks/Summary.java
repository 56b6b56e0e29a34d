package org.meshledger.samples.benchmarks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a JMH JSON result file ({@code -rf json -rff FILE}) into the Markdown table of
 * {@code docs/performance.md}: per benchmark, the median of the forks' mean scores and the range of the forks,
 * so that one noisy fork on a shared machine does not move the figure.
 *
 * <p>Usage: {@code java -cp ... org.meshledger.samples.benchmarks.Summary result.json}
 */
public final class Summary {
  private Summary() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Summary <jmh-result.json>");
      System.exit(2);
    }
    JsonArray results = new JsonArray(Files.readString(Path.of(args[0])));
    System.out.println("| Benchmark | Params | Median of forks | Forks (min to max) | Unit |");
    System.out.println("|---|---|---:|---:|---|");
    for (Object o : results) {
      JsonObject r = (JsonObject) o;
      String name = r.getString("benchmark").replaceFirst(".*\\.benchmarks\\.", "");
      JsonObject params = r.getJsonObject("params", new JsonObject());
      JsonObject metric = r.getJsonObject("primaryMetric");
      JsonArray raw = metric.getJsonArray("rawData");
      List<Double> forkMeans = new ArrayList<>();
      for (Object fork : raw) {
        JsonArray iterations = (JsonArray) fork;
        double sum = 0;
        for (Object v : iterations) {
          sum += ((Number) v).doubleValue();
        }
        forkMeans.add(sum / iterations.size());
      }
      forkMeans.sort(null);
      double median = forkMeans.size() % 2 == 1 ? forkMeans.get(forkMeans.size() / 2)
          : (forkMeans.get(forkMeans.size() / 2 - 1) + forkMeans.get(forkMeans.size() / 2)) / 2;
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s to %s | %s |%n", name, params.isEmpty() ? "" : params.encode(),
          format(median), format(forkMeans.get(0)), format(forkMeans.get(forkMeans.size() - 1)), metric.getString("scoreUnit"));
    }
  }

  private static String format(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
