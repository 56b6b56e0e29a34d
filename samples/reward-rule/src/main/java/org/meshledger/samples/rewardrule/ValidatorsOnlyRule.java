package org.meshledger.samples.rewardrule;

import java.util.List;
import org.meshledger.chain.AccountId;
import org.meshledger.chain.Amount;
import org.meshledger.spi.Payout;
import org.meshledger.spi.RewardContext;
import org.meshledger.spi.RewardRule;

/**
 * The reward rule {@value #NAME}: everything a block makes available goes to the validators that did the work.
 *
 * <ul>
 *   <li>A block's subsidy and its fees go to the signers of the commit certificate the block carries (the
 *       validators whose precommits finalised the block before it), in equal parts; block 1 carries no
 *       certificate, so its proposer takes it all. What the division leaves goes to the proposer.
 *   <li>The policy's shares, fee rule and treasury are not used: nothing goes to a treasury or a custom pool,
 *       nothing accrues to the service tiers' pools, nothing is burnt.
 *   <li>At an epoch's last block the node calls the rule a second time with the tier pools it releases. Under this
 *       rule they are empty; they hold something only if another rule accrued to them (a chain that changed its
 *       rule), and then they are shared the same way, between the signers.
 * </ul>
 *
 * <p>Every node of a chain runs the rule its genesis names ({@code IncentivePolicy.builder().rule("validators-only")}),
 * so every node of such a chain needs this class on its class or module path; a node without it refuses to start
 * with a {@code ConfigurationException} naming the rule.
 *
 * <p><b>Threading and failure.</b> Stateless and thread-safe: a pure function of its context, called on the
 * node's event loop once per block (twice at an epoch's end). It never blocks and never throws for a context a valid
 * policy allows; its payout always adds up to {@link RewardContext#available()}.
 */
public final class ValidatorsOnlyRule implements RewardRule {
  /** The name a policy gives to choose this rule. */
  public static final String NAME = "validators-only";

  /** For {@link java.util.ServiceLoader}. */
  public ValidatorsOnlyRule() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Payout payout(RewardContext context) {
    Amount all = context.available(); // subsidy + fees + released tier pools
    Payout.Builder out = Payout.builder();
    if (all.isZero()) {
      return out.build();
    }
    List<AccountId> signers = context.signers();
    if (signers.isEmpty()) {
      return out.credit(context.proposer(), all).build();
    }
    long each = all.units() / signers.size();
    long remainder = all.units() - each * signers.size();
    for (AccountId signer : signers) {
      out.credit(signer, Amount.of(each));
    }
    return out.credit(context.proposer(), Amount.of(remainder)).build();
  }

  @Override
  public String toString() {
    return "reward rule " + NAME;
  }
}
