package dev.strangler.gateway.rollout;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import dev.strangler.gateway.route.Percent;

/**
 * What the rollout must decide, worked out the way it decides it, for tests that send
 * requests over HTTP and count where they went.
 */
public final class RolloutExpectations {

	private RolloutExpectations() {
	}

	/**
	 * A rollout decider drawing from a random a test pins, counting its draws.
	 * @param random the random to draw from; a test sets a seeded one
	 * @param draws counts every draw
	 * @return the decider, to be declared {@code @Primary} in the test's configuration
	 */
	public static RolloutDecider pinnedDecider(AtomicReference<Random> random, AtomicInteger draws) {
		// Serialized: Random.nextDouble() is two steps of the generator, which concurrent
		// requests could interleave, and then the draws would no longer be the seed's
		// sequence.
		return new RolloutDecider(() -> {
			synchronized (random) {
				draws.incrementAndGet();
				return random.get().nextDouble();
			}
		});
	}

	/**
	 * How many of {@code requests} draws from {@code random} fall below {@code percent}:
	 * the exact number of keyless requests the gateway sends to the target when each
	 * request draws once, in any order.
	 * @param random the random the rollout draws from, at the same seed
	 * @param requests the number of keyless requests
	 * @param percent the route's percent
	 * @return the number placed on the target
	 */
	public static long targetsDrawn(Random random, int requests, Percent percent) {
		return IntStream.range(0, requests)
			.filter((i) -> random.nextDouble() * RolloutBucket.COUNT < percent.basisPoints())
			.count();
	}

	/**
	 * The backend a sticky key is placed on.
	 * @param routeId the route's id
	 * @param key the sticky key
	 * @param percent the route's percent
	 * @return {@code "target"} or {@code "legacy"}, as in {@code X-Strangler-Backend}
	 */
	public static String expectedBackend(String routeId, String key, Percent percent) {
		return RolloutBucket.of(routeId, key).isBelow(percent) ? "target" : "legacy";
	}

}
