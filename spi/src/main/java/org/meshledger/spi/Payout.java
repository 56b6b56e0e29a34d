package org.meshledger.spi;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;

/**
 * What a {@link RewardRule} pays for one block.
 *
 * @param credits the amount each account receives, sorted by account; no zero entries
 * @param accrued what goes into each service tier's pool for the epoch's end, by pool name
 * @param burnt what is destroyed
 */
public record Payout(SortedMap<AccountId, Amount> credits, SortedMap<String, Amount> accrued, Amount burnt) {
  /** Nothing paid, nothing burnt. */
  public static final Payout NONE = new Payout(new TreeMap<>(), new TreeMap<>(), Amount.ZERO);

  public Payout {
    TreeMap<AccountId, Amount> c = new TreeMap<>();
    credits.forEach((a, v) -> {
      Objects.requireNonNull(a, "credited account");
      if (!Objects.requireNonNull(v, "credit").isZero()) {
        c.put(a, v);
      }
    });
    credits = Collections.unmodifiableSortedMap(c);
    TreeMap<String, Amount> p = new TreeMap<>();
    accrued.forEach((k, v) -> {
      if (!Objects.requireNonNull(v, "accrual of " + k).isZero()) {
        p.put(Objects.requireNonNull(k, "pool"), v);
      }
    });
    accrued = Collections.unmodifiableSortedMap(p);
    Objects.requireNonNull(burnt, "burnt");
  }

  /** Credits plus accruals plus the burnt amount: what a valid payout equals {@link RewardContext#available()} with. */
  public Amount total() {
    Amount total = burnt;
    for (Amount a : credits.values()) {
      total = total.plus(a);
    }
    for (Amount a : accrued.values()) {
      total = total.plus(a);
    }
    return total;
  }

  /** A builder that adds up credits to the same account. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects credits; {@link #build()} makes the payout. */
  public static final class Builder {
    private final TreeMap<AccountId, Amount> credits = new TreeMap<>();
    private final TreeMap<String, Amount> accrued = new TreeMap<>();
    private Amount burnt = Amount.ZERO;

    private Builder() {}

    public Builder credit(AccountId account, Amount amount) {
      credits.merge(account, amount, Amount::plus);
      return this;
    }

    public Builder accrue(String pool, Amount amount) {
      accrued.merge(pool, amount, Amount::plus);
      return this;
    }

    public Builder burn(Amount amount) {
      burnt = burnt.plus(amount);
      return this;
    }

    public Payout build() {
      return new Payout(credits, accrued, burnt);
    }

    /** Whatever accounts are credited so far. */
    public Map<AccountId, Amount> credits() {
      return Collections.unmodifiableMap(credits);
    }
  }
}
