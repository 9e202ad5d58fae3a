package dev.strangler.gateway.shadow;

import java.util.function.DoubleSupplier;

import dev.strangler.gateway.route.Percent;

/**
 * Picks the share of requests a percentage asks for. The random source is injected so
 * tests can pin it (as Spring Cloud Gateway's {@code WeightCalculatorWebFilter} does).
 */
final class ShadowSampler {

	private static final int ALL = 10_000;

	private final DoubleSupplier random;

	/**
	 * Creates a sampler.
	 * @param random uniform values in {@code [0, 1)}
	 */
	ShadowSampler(DoubleSupplier random) {
		this.random = random;
	}

	/**
	 * Whether this request is in the sample.
	 * @param percent the share to sample
	 * @return {@code true} for about {@code percent} of calls; always at 100, never at 0
	 */
	boolean sample(Percent percent) {
		int basisPoints = percent.basisPoints();
		if (basisPoints >= ALL) {
			return true;
		}
		if (basisPoints <= 0) {
			return false;
		}
		return this.random.getAsDouble() * ALL < basisPoints;
	}

	@Override
	public String toString() {
		return "ShadowSampler[random=" + this.random + "]";
	}

}
