/**
 * A reward rule of one's own, as a library that a chain's hosts put beside {@code org.meshledger:meshledger}.
 *
 * <p>A rule is a {@link org.meshledger.spi.RewardRule}: a deterministic function from a block's
 * {@link org.meshledger.spi.RewardContext} to a {@link org.meshledger.spi.Payout}. The node finds it by the name
 * the genesis's {@link org.meshledger.IncentivePolicy#rule()} gives, through {@link java.util.ServiceLoader}: this
 * module registers {@link org.meshledger.samples.rewardrule.ValidatorsOnlyRule} both in its module descriptor
 * ({@code provides}) and in {@code META-INF/services}, so it is found on the module path and the class path alike.
 * The SPI's contract kit ({@code RewardRuleContract}, in its test jar) checks what every node relies on.
 */
package org.meshledger.samples.rewardrule;
