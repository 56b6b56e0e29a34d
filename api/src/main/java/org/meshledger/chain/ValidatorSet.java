package org.meshledger.chain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.meshledger.codec.CanonicalWriter;

/**
 * The validators that sign commit certificates, each with one vote. Kept sorted by key, so two sets with
 * the same members are equal and have the same {@link #hash()}.
 *
 * @param validators 1 to {@link Limits#MAX_VALIDATORS} distinct keys, sorted
 */
public record ValidatorSet(List<NodeId> validators) {
  public ValidatorSet {
    List<NodeId> sorted = new ArrayList<>(validators);
    sorted.sort(null);
    if (sorted.isEmpty() || sorted.size() > Limits.MAX_VALIDATORS) {
      throw new IllegalArgumentException("a validator set has 1 to " + Limits.MAX_VALIDATORS + " validators, got " + sorted.size());
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).equals(sorted.get(i - 1))) {
        throw new IllegalArgumentException("validator " + sorted.get(i) + " is listed twice");
      }
    }
    validators = List.copyOf(sorted);
  }

  public static ValidatorSet of(Collection<NodeId> validators) {
    return new ValidatorSet(List.copyOf(validators));
  }

  public int size() {
    return validators.size();
  }

  /** The least number of signatures that is more than two thirds of the set: floor(2n/3) + 1. */
  public int quorum() {
    return 2 * validators.size() / 3 + 1;
  }

  /**
   * How many validators may fail (stop, or lie) while the others still decide blocks: {@code n - quorum()}, which
   * is floor((n - 1) / 3). A set of 3f + 1 tolerates f: 1 to 3 validators tolerate none, 4 tolerate one, 7 two.
   */
  public int tolerated() {
    return validators.size() - quorum();
  }

  public boolean contains(NodeId id) {
    return java.util.Collections.binarySearch(validators, id) >= 0;
  }

  /** SHA-256 of the canonical encoding: version 1, the count, the sorted keys. Block headers carry it. */
  public Hash hash() {
    CanonicalWriter w = new CanonicalWriter(8 + 32 * validators.size()).u8(1).count(validators.size());
    validators.forEach(v -> v.writeTo(w));
    return Hash.sha256(w.toByteArray());
  }
}
