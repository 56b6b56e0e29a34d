package org.meshledger.samples.cli.client;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.meshledger.MeshledgerException;

/** A node's API answered with an error ({@link #status()} 4xx or 5xx), or could not be reached ({@link #status()} 0). */
public final class NodeApiException extends MeshledgerException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient JsonObject answer;

  public NodeApiException(int status, String message) {
    this(status, message, null);
  }

  public NodeApiException(int status, String message, JsonObject answer) {
    super(message);
    this.status = status;
    this.answer = answer;
  }

  /** The HTTP status, or 0 if no answer came. */
  public int status() {
    return status;
  }

  /** The error answer's JSON, such as a rejection's receipt. */
  public Optional<JsonObject> answer() {
    return Optional.ofNullable(answer);
  }
}
