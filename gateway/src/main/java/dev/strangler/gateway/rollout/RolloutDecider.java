package dev.strangler.gateway.rollout;

import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import dev.strangler.gateway.route.Percent;

/**
 * Decides, for one request of a route in canary, whether the target or legacy serves it.
 *
 * <pre>{@code
 * RolloutDecider decider = new RolloutDecider(() -> ThreadLocalRandom.current().nextDouble());
 * Backend backend = decider.decide("catalog", Percent.parse("25"), Optional.of("user-42"));
 * }</pre>
 *
 * <p>
 * With a sticky key the choice is the key's {@link RolloutBucket}: the same key always
 * gets the same answer at a given percent, and raising the percent never moves it back to
 * legacy. Without a key each request is drawn at random, in the right share.
 */
public final class RolloutDecider {

	private final DoubleSupplier random;

	/**
	 * Creates a decider.
	 * @param random uniform values in {@code [0, 1)} for requests without a sticky key;
	 * injectable so tests can pin it
	 */
	public RolloutDecider(DoubleSupplier random) {
		this.random = Objects.requireNonNull(random, "random");
	}

	/**
	 * Decides the backend for one request.
	 * @param routeId the route id
	 * @param percent share of traffic for the target
	 * @param stickyKey the request's sticky key, empty when the route has none or the
	 * request does not carry it
	 * @return {@link Backend#TARGET} or {@link Backend#LEGACY}
	 */
	public Backend decide(String routeId, Percent percent, Optional<String> stickyKey) {
		int targetBuckets = percent.basisPoints();
		if (targetBuckets == 0) {
			return Backend.LEGACY;
		}
		if (targetBuckets == RolloutBucket.COUNT) {
			return Backend.TARGET;
		}
		if (stickyKey.isPresent()) {
			return backend(RolloutBucket.of(routeId, stickyKey.get()).isBelow(percent));
		}
		// Same resolution as the buckets: a value in [0, 1) scaled to [0, 10 000).
		return backend(this.random.getAsDouble() * RolloutBucket.COUNT < targetBuckets);
	}

	/**
	 * Decides the backend for one request when that takes no random draw: the route is at
	 * 0 or 100 percent, or the request carries its sticky key. Whoever serves a request
	 * without such a decision must draw for it, once ({@link #decide}).
	 * @param routeId the route id
	 * @param percent share of traffic for the target
	 * @param stickyKey the request's sticky key, empty when the route has none or the
	 * request does not carry it
	 * @return the backend, or empty when only a random draw can decide
	 */
	public Optional<Backend> decideWithoutDrawing(String routeId, Percent percent, Optional<String> stickyKey) {
		int targetBuckets = percent.basisPoints();
		boolean drawn = targetBuckets != 0 && targetBuckets != RolloutBucket.COUNT && stickyKey.isEmpty();
		return drawn ? Optional.empty() : Optional.of(decide(routeId, percent, stickyKey));
	}

	private static Backend backend(boolean toTarget) {
		return toTarget ? Backend.TARGET : Backend.LEGACY;
	}

	@Override
	public String toString() {
		return "RolloutDecider[buckets=" + RolloutBucket.COUNT + "]";
	}

}
