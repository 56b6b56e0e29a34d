package org.meshledger.impl.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running {@link ClusterNodeMain} process: writes commands to its stdin, reads its stdout on a daemon
 * thread (heights, answers) and remembers its last lines. When the process dies every unanswered request
 * completes with {@code null} (unknown).
 */
final class Child {
  private static final AtomicLong REQUESTS = new AtomicLong();

  final String name;
  final Process process;
  private final Writer stdin;
  private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final CompletableFuture<Integer> started = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile long height = -1;

  Child(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "stdout-" + name + "-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits for {@code STARTED}; returns false if the process failed or did not start in time. */
  boolean awaitStarted(Duration timeout) {
    try {
      started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  boolean live() {
    return started.isDone() && !started.isCompletedExceptionally() && process.isAlive();
  }

  long height() {
    return live() ? height : -1;
  }

  /** Sends {@code command} with a fresh request id; the future gets the rest of the answer line, or null if none came. */
  CompletableFuture<String> request(String command, String argument, Duration timeout) {
    long id = REQUESTS.incrementAndGet();
    CompletableFuture<String> answer = new CompletableFuture<>();
    pending.put(id, answer);
    if (!send(command + " " + id + " " + argument)) {
      answer.complete(null);
    }
    return answer.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((a, e) -> pending.remove(id));
  }

  /** Asks the node to stop cleanly; true if it printed STOPPED and exited within {@code timeout}. */
  boolean stop(Duration timeout) {
    send("STOP");
    try {
      stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  /** SIGKILL (on Unix: the handle's destroyForcibly), then waits for the process to be gone. */
  void kill() {
    process.toHandle().destroyForcibly();
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") did not die within 30 s of SIGKILL", e);
    }
  }

  synchronized String lastLines() {
    return String.join("\n      ", lastLines);
  }

  private synchronized boolean send(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        handle(line);
      }
    } catch (IOException e) {
      // the process died: the end of its output
    } finally {
      started.completeExceptionally(new IllegalStateException(name + " exited before it started"));
      stopped.complete(null);
      pending.values().forEach(f -> f.complete(null));
    }
  }

  private void handle(String line) {
    if (line.startsWith("HEIGHT ")) {
      height = Long.parseLong(line.split(" ")[1]);
    } else if (line.startsWith("RESULT ") || line.startsWith("FOUND ")) {
      String[] w = line.split(" ", 3);
      CompletableFuture<String> f = pending.get(Long.parseLong(w[1]));
      if (f != null) {
        f.complete(w.length > 2 ? w[2] : "");
      }
      return;
    } else if (line.startsWith("STARTED ")) {
      height = Long.parseLong(line.split(" ")[2]);
      started.complete(Integer.parseInt(line.split(" ")[1]));
    } else if (line.startsWith("STOPPED")) {
      stopped.complete(null);
    }
    synchronized (this) {
      if (line.startsWith("HEIGHT ") && !lastLines.isEmpty() && lastLines.peekLast().startsWith("HEIGHT ")) {
        lastLines.removeLast(); // keep only the latest of a run of height lines
      }
      lastLines.addLast(line);
      while (lastLines.size() > 12) {
        lastLines.removeFirst();
      }
    }
  }
}
