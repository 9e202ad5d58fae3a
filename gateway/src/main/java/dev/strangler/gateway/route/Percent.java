package dev.strangler.gateway.route;

import java.math.BigDecimal;

/**
 * A share of traffic from 0 to 100 with at most two decimals, so that it maps exactly
 * onto 10 000 rollout buckets.
 *
 * <pre class="code">
 * Percent.parse("0.5").basisPoints(); // 50 of 10 000 buckets
 * </pre>
 *
 * @param value the percentage
 */
public record Percent(BigDecimal value) {

	// Declared before the constants below, whose construction reads it.
	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	/** No traffic. */
	public static final Percent ZERO = new Percent(BigDecimal.ZERO);

	/** All traffic. */
	public static final Percent ALL = new Percent(BigDecimal.valueOf(100));

	public Percent {
		if (value.signum() < 0 || value.compareTo(HUNDRED) > 0) {
			throw new IllegalArgumentException("must be between 0 and 100");
		}
		if (value.stripTrailingZeros().scale() > 2) {
			throw new IllegalArgumentException("must have at most two decimals");
		}
	}

	/**
	 * Parses a percentage such as {@code 25} or {@code 0.5}.
	 * @param text the percentage
	 * @return the percent
	 * @throws IllegalArgumentException if it is no number or out of range
	 */
	public static Percent parse(String text) {
		try {
			return new Percent(new BigDecimal(text.trim()));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("must be a number between 0 and 100");
		}
	}

	/**
	 * This share in hundredths of a percent, the unit of rollout buckets.
	 * @return 0 to 10 000
	 */
	public int basisPoints() {
		return this.value.movePointRight(2).intValueExact();
	}

	@Override
	public String toString() {
		return this.value.stripTrailingZeros().toPlainString();
	}

}
