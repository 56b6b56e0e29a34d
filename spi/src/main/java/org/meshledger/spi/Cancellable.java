package org.meshledger.spi;

/** A scheduled task that has not run yet, or has. */
@FunctionalInterface
public interface Cancellable {
  /** Stops the task from running if it has not run yet; does nothing otherwise. */
  void cancel();
}
