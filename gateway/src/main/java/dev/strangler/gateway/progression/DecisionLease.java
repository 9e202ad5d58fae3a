package dev.strangler.gateway.progression;

import java.util.Optional;

/**
 * Whether this instance takes the progression decisions now: with several instances
 * sharing a store exactly one of them must, or two would promote the same route twice.
 * The file store has one instance, which always does ({@link #ALWAYS}); the shared store
 * holds a lease in Redis that its holder renews every tick
 * ({@code progression.redis.RedisDecisionLease}).
 */
@FunctionalInterface
public interface DecisionLease {

	/** The single instance of the file store. */
	DecisionLease ALWAYS = () -> true;

	/**
	 * Takes or renews the lease. Never throws: when the lease cannot be known (its store
	 * is unreachable) nobody may decide, so the answer is {@code false}.
	 * @return whether this instance holds it until the next call
	 */
	boolean holds();

	/**
	 * Which instance held the lease at the last {@link #holds()}, as the admin API shows
	 * it; cheap (no call to the store).
	 * @return the holder's id; empty with a single instance, before the first call, or
	 * when nobody is known to hold it
	 */
	default Optional<String> holder() {
		return Optional.empty();
	}

	/**
	 * Gives the lease up if this instance holds it, so another instance takes over at its
	 * next tick rather than when the lease expires. Called once, when the controller
	 * stops; never throws.
	 */
	default void release() {
	}

}
