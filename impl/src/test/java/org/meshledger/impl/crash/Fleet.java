package org.meshledger.impl.crash;

/** The nodes as the nemesis and the recovery clock see them: names, roles, liveness and the heights they report. */
interface Fleet {
  int size();

  String name(int node);

  boolean validator(int node);

  /** True while the node runs and has reported that it started. */
  boolean live(int node);

  /** The height the node reported last; -1 while it is not live. */
  long height(int node);

  /** Each node's state and recent output, for failure messages. */
  String describe();

  /** The highest height a live node other than {@code except} reports; -1 if none. */
  default long tipExcept(int except) {
    long tip = -1;
    for (int i = 0; i < size(); i++) {
      if (i != except && live(i)) {
        tip = Math.max(tip, height(i));
      }
    }
    return tip;
  }

  /** True if {@code node} is live and within one block of the other live nodes' tip. */
  default boolean nearTip(int node) {
    return live(node) && height(node) >= tipExcept(node) - 1;
  }
}
