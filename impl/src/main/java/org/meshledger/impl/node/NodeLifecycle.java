package org.meshledger.impl.node;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.meshledger.MeshledgerException;
import org.meshledger.NodeStatus.State;
import org.meshledger.chain.NodeId;

/**
 * A node's life as a Vert.x deployment: {@code NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED}, never back.
 *
 * <p><b>Deployment.</b> {@link #start()} deploys a {@link Deployable} on the host's {@link Vertx} or on one the
 * node makes for itself; Vert.x gives each deployment a context of its own on the next event loop, and the
 * node's {@link Parts} open there. {@link #stop()} undeploys it, which releases the parts, and closes the node's
 * own Vert.x. A host that closes its Vert.x, or undeploys the node, stops it the same way.
 *
 * <p><b>Races.</b> Transitions are made under this object's lock, each checked against the state it leaves, so
 * nothing makes a stopping or stopped node RUNNING: a stop while STARTING marks the node STOPPING, the opening
 * checks that between its steps and fails with "stopped while starting", and whatever it had opened is released
 * before the stop's future completes. The lock guards only these few fields and is never held while calling out.
 */
final class NodeLifecycle implements NodeState {
  private static final Logger LOG = System.getLogger("org.meshledger.node");
  /** How long {@link #close()} waits for the node to stop. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** What a node opens when deployed and releases when undeployed; both run on the deployment's context. */
  interface Parts {
    /**
     * Opens the store, the network and the protocols on {@code context}; calls {@code checkStarting} between its
     * steps and before the last one (which starts consensus), and fails with what it throws.
     */
    Future<Void> open(Context context, Runnable checkStarting);

    /**
     * Releases whatever {@link #open} opened so far (network first, the store last); idempotent, from any thread:
     * later calls return the first call's future. Fails with the first failure, having tried every step.
     */
    Future<Void> release();
  }

  private final NodeId id;
  private final Vertx hostVertx;
  private final Parts parts;
  private final Promise<Void> stopped = Promise.promise();
  private final Promise<Void> opened = Promise.promise();
  private final List<State> history = new ArrayList<>(5);

  // Guarded by this.
  private volatile State state = State.NEW;
  private Vertx vertx;
  private String deploymentId;
  private boolean openBegun;
  private boolean stopRequested;
  private boolean finishing;
  private volatile Throwable startFailure;

  /** @param hostVertx the host's Vert.x to deploy on, or null to make one at start and close it at stop */
  NodeLifecycle(NodeId id, Vertx hostVertx, Parts parts) {
    this.id = id;
    this.hostVertx = hostVertx;
    this.parts = parts;
    history.add(State.NEW);
  }

  State state() {
    return state;
  }

  /** Every state the node has been in, in order; for tests. */
  synchronized List<State> history() {
    return List.copyOf(history);
  }

  @Override
  public boolean serving() {
    State s = state;
    return s == State.STARTING || s == State.RUNNING;
  }

  @Override
  public IllegalStateException refusal(String action) {
    State s = state;
    String fix = switch (s) {
      case NEW -> "call start() and wait for its future first";
      case STARTING -> "wait for start()'s future first";
      case RUNNING -> "it runs, so this is a bug: please report it";
      case STOPPING, STOPPED -> (startFailure == null ? "" : "its start failed (" + startFailure.getMessage() + "); ")
          + "a node starts once: build and start a new node (on the same data dir to keep its chain)";
    };
    return new IllegalStateException("cannot " + action + ": node " + id + " is " + s + "; " + fix);
  }

  /** Deploys the node; see {@link org.meshledger.Node#start()}. */
  Future<Void> start() {
    synchronized (this) {
      if (state != State.NEW) {
        return Future.failedFuture(new IllegalStateException("node " + id + " cannot start: it is " + state
            + " (a node starts once; build a new one to start again)"));
      }
      move(State.STARTING);
    }
    Promise<Void> started = Promise.promise();
    Future<String> deployed;
    try {
      Vertx v = hostVertx != null ? hostVertx : Vertx.vertx();
      synchronized (this) {
        vertx = v;
      }
      deployed = v.deployVerticle(new Deployment());
    } catch (RuntimeException e) {
      deployed = Future.failedFuture(e);
    }
    deployed.onComplete(ar -> deployed(ar, started));
    return started.future();
  }

  /** Undeploys the node; see {@link org.meshledger.Node#stop()}. */
  Future<Void> stop() {
    String undeploy = null;
    boolean wasNew = false;
    synchronized (this) {
      switch (state) {
        case NEW -> {
          move(State.STOPPED); // nothing was opened, and no Vert.x made
          wasNew = true;
        }
        case STARTING -> { // the start ends it: see open and deployed
          stopRequested = true;
          move(State.STOPPING);
        }
        case RUNNING -> {
          stopRequested = true;
          move(State.STOPPING);
          undeploy = deploymentId;
        }
        default -> { } // stopping or stopped already
      }
    }
    if (wasNew) {
      stopped.tryComplete();
    } else if (undeploy != null) {
      undeploy(undeploy);
    }
    return stopped.future();
  }

  /** Stops and waits; see {@link org.meshledger.Node#close()}. */
  void close() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("close() of node " + id + " waits for the node to stop and would block event loop "
          + Thread.currentThread().getName() + ": call stop() and use its Future instead");
    }
    Future<Void> f = stop();
    try {
      f.toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new MeshledgerException("node " + id + " stopped, but releasing it failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new MeshledgerException("node " + id + " did not stop within " + CLOSE_TIMEOUT.toSeconds() + " s, the time close()"
          + " waits (it is " + state + " and goes on stopping): to wait longer, call stop() and wait on its Future");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshledgerException("interrupted while waiting for node " + id + " to stop; it goes on stopping", e);
    }
  }

  /** Throws once a stop was asked for: the opening calls it between its steps. */
  private void checkStarting() {
    if (state != State.STARTING) {
      throw stoppedWhileStarting();
    }
  }

  private IllegalStateException stoppedWhileStarting() {
    return new IllegalStateException("node " + id + " stopped while starting: stop() was called before it was running (it"
        + " released what it had opened)");
  }

  /** The deployment completed (the node opened) or failed. */
  private void deployed(AsyncResult<String> ar, Promise<Void> started) {
    boolean running = false;
    boolean requested;
    Future<Void> openedOrNot;
    synchronized (this) {
      requested = stopRequested;
      if (ar.succeeded()) {
        deploymentId = ar.result();
        running = state == State.STARTING;
        if (running) {
          move(State.RUNNING);
        }
        openedOrNot = null;
      } else {
        if (state == State.STARTING) {
          move(State.STOPPING);
        }
        openedOrNot = openBegun ? opened.future() : Future.succeededFuture();
      }
    }
    if (running) {
      started.complete();
      return;
    }
    Throwable cause = requested ? stoppedWhileStarting()
        : ar.failed() ? ar.cause()
        : new IllegalStateException("node " + id + " was undeployed while starting (was its Vert.x closed?)");
    if (!requested) {
      startFailure = cause;
      LOG.log(Level.ERROR, "node " + id + " failed to start: " + cause.getMessage());
    }
    stopped.future().onComplete(x -> started.fail(cause)); // a failed start ends when the node is STOPPED, all released
    if (ar.succeeded()) { // opened, but stopped meanwhile: undeploy, which releases
      undeploy(ar.result());
    } else { // the opening failed and released, or Vert.x failed the deployment while it ran: release once it ends
      openedOrNot.transform(o -> parts.release()).onComplete(this::finish);
    }
  }

  /** Undeploys (Vert.x calls {@link Deployment#undeploy}, which releases), then finishes the stop. */
  private void undeploy(String deployment) {
    Future<Void> undeployed;
    try {
      undeployed = vertx.undeploy(deployment);
    } catch (RuntimeException e) {
      undeployed = Future.failedFuture(e);
    }
    // If Vert.x undeployed it already (its Vert.x closing), the release it triggered is the one to wait for.
    undeployed.transform(ar -> parts.release()).onComplete(this::finish);
  }

  /** Everything is released: close the node's own Vert.x, then the node is STOPPED. */
  private void finish(AsyncResult<Void> released) {
    Vertx own;
    synchronized (this) {
      if (finishing) {
        return;
      }
      finishing = true;
      own = hostVertx == null ? vertx : null;
    }
    Future<Void> closing = own == null ? Future.succeededFuture() : own.close();
    closing.onComplete(c -> {
      synchronized (this) {
        move(State.STOPPED);
      }
      Throwable failure = released.failed() ? released.cause() : c.failed() ? c.cause() : null;
      LOG.log(failure == null ? Level.INFO : Level.ERROR, "node " + id + " stopped" + (failure == null ? "" : ", but " + failure));
      if (failure == null) {
        stopped.tryComplete();
      } else {
        stopped.tryFail(failure);
      }
    });
  }

  /** Moves forward to {@code next}; a move back is a bug and throws. Under the lock. */
  private void move(State next) {
    if (next.compareTo(state) < 0) {
      throw new IllegalStateException("node " + id + " cannot go from " + state + " back to " + next);
    }
    if (next != state) {
      state = next;
      history.add(next);
    }
  }

  /** The node as Vert.x sees it: deploying opens its parts on the context Vert.x made for it. */
  private final class Deployment implements Deployable {
    @Override
    public Future<?> deploy(Context ctx) {
      synchronized (NodeLifecycle.this) {
        if (state != State.STARTING) {
          return Future.failedFuture(stoppedWhileStarting());
        }
        openBegun = true;
      }
      Future<Void> work;
      try {
        work = parts.open(ctx, NodeLifecycle.this::checkStarting);
      } catch (RuntimeException e) {
        work = Future.failedFuture(e);
      }
      Future<Void> result = work.recover(e -> parts.release().transform(r -> {
        if (r.failed() && r.cause() != e) {
          e.addSuppressed(r.cause());
        }
        return Future.failedFuture(e);
      }));
      result.onComplete(opened);
      return result;
    }

    @Override
    public Future<?> undeploy(Context ctx) {
      boolean byHost;
      synchronized (NodeLifecycle.this) {
        byHost = !stopRequested;
        if (state == State.STARTING || state == State.RUNNING) {
          move(State.STOPPING);
        }
      }
      Future<Void> released = parts.release();
      if (byHost) { // the host undeployed the node or closed its Vert.x: this is the node's stop
        released.onComplete(NodeLifecycle.this::finish);
      }
      return released;
    }
  }
}
