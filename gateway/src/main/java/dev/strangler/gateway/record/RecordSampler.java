package dev.strangler.gateway.record;

import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Decides which requests are recorded: those of the listed routes, a sample of them.
 * Randomness comes in as a supplier of numbers in {@code [0, 1)}, so tests can pin it.
 */
final class RecordSampler {

	private final Set<String> routes;

	private final double fraction;

	private final DoubleSupplier random;

	RecordSampler(Set<String> routes, double samplePercent, DoubleSupplier random) {
		if (samplePercent < 0 || samplePercent > 100) {
			throw new IllegalArgumentException("samplePercent must be between 0 and 100 but was " + samplePercent);
		}
		this.routes = Set.copyOf(routes);
		this.fraction = samplePercent / 100;
		this.random = random;
	}

	/**
	 * Whether no route is recorded at all.
	 * @return {@code true} when recording is off
	 */
	boolean off() {
		return this.routes.isEmpty() || this.fraction == 0;
	}

	/**
	 * Whether to record one request of a route.
	 * @param routeId the route that claimed it
	 * @return {@code true} to record it
	 */
	boolean record(String routeId) {
		return this.routes.contains(routeId) && this.random.getAsDouble() < this.fraction;
	}

	@Override
	public String toString() {
		return "RecordSampler[routes=" + this.routes + ", percent=" + (this.fraction * 100) + "]";
	}

}
