package org.meshledger.spi;

/**
 * Computes who is paid for a block: the pure function behind a chain's {@link org.meshledger.IncentivePolicy}.
 * Every node runs it on the same {@link RewardContext} during execution and must get the same {@link Payout},
 * so an implementation is deterministic (no clock, no randomness, no I/O, no hash-ordered iteration), fast (it runs
 * once per block on the node's event loop) and never throws for a context the policy allows.
 *
 * <p>Registered with {@link java.util.ServiceLoader} ({@code provides org.meshledger.spi.RewardRule} in a module
 * descriptor, or {@code META-INF/services/org.meshledger.spi.RewardRule} on the class path) and chosen by the
 * policy's {@link org.meshledger.IncentivePolicy#rule() rule} name; see {@link RewardRules}. The default,
 * {@value org.meshledger.IncentivePolicy#DEFAULT_RULE}, implements the policy as documented there. The contract
 * kit in this module's test jar ({@code RewardRuleContract}) checks an implementation: payouts add up exactly,
 * nothing negative, the same context gives the same payout.
 */
public interface RewardRule {

  /** The name a policy uses to choose this rule; unique among rules on the class or module path. */
  String name();

  /**
   * The payout of the block {@code context} describes. Called once per block with its subsidy and fees; at an
   * epoch's last block called once more with the epoch's {@linkplain RewardContext#epochEnd() evidence}, the tier
   * pools (this block's parts included) and no subsidy or fees.
   *
   * @return a payout whose credits, pool accruals and burnt amount add up to exactly
   *     {@link RewardContext#available()}
   */
  Payout payout(RewardContext context);
}
