package org.meshledger.spi;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.meshledger.AccountId;
import org.meshledger.AccountState;
import org.meshledger.DataEntry;

/**
 * What executing one block changed, stored atomically with it: the DATA writes it applied (rejected writes
 * are absent) and the new state of every account it touched.
 *
 * @param writes the applied writes, in block order; each has the block's height
 * @param accounts the state after the block of each account the block touched, sorted by account
 */
public record StateChanges(List<DataEntry> writes, Map<AccountId, AccountState> accounts) {
  /** A block that changed nothing. */
  public static final StateChanges NONE = new StateChanges(List.of(), Map.of());

  public StateChanges {
    writes = List.copyOf(writes);
    TreeMap<AccountId, AccountState> sorted = new TreeMap<>(accounts);
    sorted.values().forEach(v -> Objects.requireNonNull(v, "account state"));
    accounts = Collections.unmodifiableMap(sorted);
  }
}
