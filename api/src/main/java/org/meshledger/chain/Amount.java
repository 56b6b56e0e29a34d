package org.meshledger.chain;

/**
 * An amount of the ledger's currency in its smallest unit (as Bitcoin's satoshi or Horizen's zatoshi).
 * Never negative, never floating point; arithmetic that would overflow or go below zero fails.
 *
 * @param units the count of smallest units, at least 0
 */
public record Amount(long units) implements Comparable<Amount> {
  public static final Amount ZERO = new Amount(0);

  public Amount {
    if (units < 0) {
      throw new IllegalArgumentException("an amount cannot be negative: " + units);
    }
  }

  public static Amount of(long units) {
    return units == 0 ? ZERO : new Amount(units);
  }

  public Amount plus(Amount other) {
    try {
      return of(Math.addExact(units, other.units));
    } catch (ArithmeticException e) {
      throw new ArithmeticException("amount overflow: " + units + " + " + other.units);
    }
  }

  /** This minus {@code other}; fails with {@link ArithmeticException} if the result would be negative. */
  public Amount minus(Amount other) {
    if (other.units > units) {
      throw new ArithmeticException("amount would go negative: " + units + " - " + other.units);
    }
    return of(units - other.units);
  }

  public boolean isZero() {
    return units == 0;
  }

  @Override
  public int compareTo(Amount o) {
    return Long.compare(units, o.units);
  }

  @Override
  public String toString() {
    return Long.toString(units);
  }
}
