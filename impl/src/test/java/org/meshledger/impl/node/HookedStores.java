package org.meshledger.impl.node;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.meshledger.impl.store.InMemoryBlockStore;
import org.meshledger.spi.BlockStore;
import org.meshledger.spi.BlockStoreProvider;
import org.meshledger.spi.StoreContext;

/**
 * A test store, {@code NodeOptions.setStorage("hooked")}: the in-memory store with hooks that tests set to hold a
 * node in its start ({@link #gate}), to make closing fail ({@link #closeFailure}) and to count closes. Registered
 * through {@code META-INF/services} of the test class path. The hooks are static: the tests that set them reset
 * them with {@link #reset()} (test classes run one at a time).
 */
public final class HookedStores implements BlockStoreProvider {
  /** Counted down when a store starts opening. */
  static volatile CountDownLatch opening = new CountDownLatch(1);
  /** Opening waits for this. */
  static volatile CountDownLatch gate = new CountDownLatch(0);
  /** Thrown by close, if set. */
  static volatile RuntimeException closeFailure;
  static final AtomicInteger closed = new AtomicInteger();
  /** Every read sleeps this long first, as a store across a network would take (0: no delay). */
  static volatile long readDelayMillis;
  /** The store methods called on an event-loop thread, other than close. */
  static final java.util.List<String> loopCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

  static void reset() {
    opening = new CountDownLatch(1);
    gate = new CountDownLatch(0);
    closeFailure = null;
    closed.set(0);
    readDelayMillis = 0;
    loopCalls.clear();
  }

  @Override
  public String name() {
    return "hooked";
  }

  @Override
  public BlockStore open(StoreContext context) {
    opening.countDown();
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    BlockStore store = new InMemoryBlockStore(context);
    return (BlockStore) Proxy.newProxyInstance(BlockStore.class.getClassLoader(), new Class<?>[] {BlockStore.class}, (p, m, args) -> {
      if (m.getName().equals("close") && m.getParameterCount() == 0) {
        closed.incrementAndGet();
        RuntimeException failure = closeFailure;
        if (failure != null) {
          throw failure;
        }
      }
      if (!m.getName().equals("close") && io.vertx.core.Context.isOnEventLoopThread()) {
        loopCalls.add(m.getName() + " on " + Thread.currentThread().getName());
      }
      long delay = readDelayMillis;
      if (delay > 0 && !m.getName().startsWith("append") && !m.getName().equals("close")) {
        Thread.sleep(delay); // the store's latency, not a synchronisation
      }
      try {
        return m.invoke(store, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
