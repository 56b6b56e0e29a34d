package org.meshledger.simulation;

import java.util.Locale;

/**
 * The metrics of a simulated run, over every message published. Latencies are in milliseconds of virtual
 * time after publication; "targets" of a message are the honest nodes (not spies, not the origin) that were
 * running and connected to the origin when it was published.
 *
 * @param protocol the protocol and its effective parameters
 * @param messages messages published
 * @param l50 mean over messages of the time until half of the targets held the message (NaN if never)
 * @param l90 the same for 90% of the targets
 * @param l100 the same for all of them, over the messages that reached all of them
 * @param l90OverL50 {@code l90 / l50}: how far the slow tail lags the median (1 is perfectly even)
 * @param jain mean over messages of Jain's fairness index of the targets' delivery times: (sum x)^2 / (n sum x^2);
 *     1 when every node gets the message at the same time
 * @param delivery share of (message, target) pairs delivered
 * @param payloadsPerNode full-message frames (public phase) received per running node per message (spies included:
 *     they receive frames too)
 * @param announcementsPerNode announcement frames received per running node per message
 * @param requestsPerNode request frames received per running node per message
 * @param stemsPerNode stem frames received per running node per message
 * @param bytesPerNode bytes of all frames received per running node per message
 * @param payloadBytesPerNode bytes of full-message frames (public and stem) received per running node per message
 * @param anonymity the first-spy estimator's recall and precision, if there were spies
 */
public record Report(
    String protocol,
    int messages,
    double l50,
    double l90,
    double l100,
    double l90OverL50,
    double jain,
    double delivery,
    double payloadsPerNode,
    double announcementsPerNode,
    double requestsPerNode,
    double stemsPerNode,
    double bytesPerNode,
    double payloadBytesPerNode,
    Anonymity anonymity) {

  /** The column names of {@link #csvRow()}. */
  public static String csvHeader() {
    return "protocol,messages,l50_ms,l90_ms,l100_ms,l90_over_l50,jain,delivery,payloads_per_node_msg,announcements_per_node_msg,"
        + "requests_per_node_msg,stems_per_node_msg,bytes_per_node_msg,payload_bytes_per_node_msg,"
        + Anonymity.csvHeader();
  }

  /** The metrics as one CSV row, fixed precision, the protocol quoted. */
  public String csvRow() {
    return String.format(Locale.ROOT, "\"%s\",%d,%.3f,%.3f,%.3f,%.4f,%.4f,%.5f,%.4f,%.4f,%.4f,%.4f,%.1f,%.1f,%s",
        protocol.replace("\"", "'"), messages, l50, l90, l100, l90OverL50, jain, delivery, payloadsPerNode,
        announcementsPerNode, requestsPerNode, stemsPerNode, bytesPerNode, payloadBytesPerNode, anonymity.csv());
  }
}
