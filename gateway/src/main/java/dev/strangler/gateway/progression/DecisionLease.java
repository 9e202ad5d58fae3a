package dev.strangler.gateway.progression;

/**
 * Whether this instance takes the progression decisions now: with several instances
 * sharing a store exactly one of them must, or two would promote the same route twice.
 * The file store has one instance, which always does ({@link #ALWAYS}); a shared store
 * holds a lease that its holder renews every tick.
 */
@FunctionalInterface
public interface DecisionLease {

	/** The single instance of the file store. */
	DecisionLease ALWAYS = () -> true;

	/**
	 * Takes or renews the lease.
	 * @return whether this instance holds it until the next call
	 */
	boolean holds();

}
