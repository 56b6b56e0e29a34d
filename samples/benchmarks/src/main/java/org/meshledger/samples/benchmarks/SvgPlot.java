package org.meshledger.samples.benchmarks;

import java.util.List;
import java.util.Locale;

/** Writes a line chart of cumulative distributions as a self-contained SVG: no plotting library needed. */
final class SvgPlot {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  private static final int W = 1000;
  private static final int H = 520;
  private static final int LEFT = 70;
  private static final int RIGHT = 370;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  /** One curve: its label and its sorted values. */
  record Series(String label, double[] sortedValues) {}

  private SvgPlot() {}

  /**
   * The empirical CDF of each series on a logarithmic x axis from {@code xMin} to {@code xMax} (values outside
   * are drawn at the edges).
   *
   * @param total per series, the count the CDF is a share of (values never reached count in it, so a curve
   *     that stays below 1 shows undelivered messages)
   */
  static String cdf(String title, String xLabel, double xMin, double xMax, List<Series> series, long[] total) {
    StringBuilder s = new StringBuilder();
    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    double lo = Math.log10(xMin);
    double span = Math.log10(xMax) - lo;
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">%n", W, H, W, H));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
    for (double decade = Math.pow(10, Math.floor(lo)); decade <= xMax; decade *= 10) {
      for (double m : new double[] {1, 2, 5}) {
        double x = decade * m;
        if (x < xMin * 0.999 || x > xMax * 1.001) {
          continue;
        }
        double px = LEFT + (Math.log10(x) - lo) / span * pw;
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n", px, TOP, px, TOP + ph,
            m == 1 ? "#c8c8c8" : "#ececec"));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP + ph + 18, fmt(x)));
      }
    }
    for (int i = 0; i <= 10; i++) {
      double py = TOP + ph - i / 10.0 * ph;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ececec\"/>%n", LEFT, py, LEFT + pw, py));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>%n", LEFT - 6, py + 4, i / 10.0));
    }
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", LEFT, TOP, pw, ph));
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + pw / 2, H - 18, esc(xLabel)));
    s.append(String.format(Locale.ROOT, "<text transform=\"translate(18,%d) rotate(-90)\" text-anchor=\"middle\">share of nodes holding the message</text>%n",
        TOP + ph / 2));
    for (int k = 0; k < series.size(); k++) {
      Series se = series.get(k);
      String color = COLORS[k % COLORS.length];
      double[] v = se.sortedValues();
      StringBuilder pts = new StringBuilder();
      int points = Math.min(v.length, 800);
      for (int i = 0; i < points; i++) {
        int idx = (int) ((long) (i + 1) * v.length / points) - 1;
        double x = Math.min(Math.max(v[idx], xMin), xMax);
        double y = (idx + 1) / (double) total[k];
        pts.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", LEFT + (Math.log10(x) - lo) / span * pw, TOP + ph - y * ph));
      }
      if (v.length > 0) {
        pts.append(String.format(Locale.ROOT, " %.1f,%.1f", (double) LEFT + pw, TOP + ph - v.length / (double) total[k] * ph));
      }
      s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", color, pts));
      int ly = TOP + 10 + k * 22;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
          LEFT + pw + 14, ly, LEFT + pw + 38, ly, color));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + pw + 44, ly + 4, esc(se.label())));
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x);
  }

  private static String esc(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
