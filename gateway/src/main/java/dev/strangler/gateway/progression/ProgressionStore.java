package dev.strangler.gateway.progression;

import java.util.Optional;

/**
 * Where progression states live between decisions, so a restarted gateway, or another
 * instance that takes over the decisions, resumes each route at the step, counts and hold
 * it had. Beside the override store, not in it: an override is what the routes obey, a
 * progression state is the controller's own memory.
 */
public interface ProgressionStore {

	/**
	 * The state of a route's progression, as the store holds it now: what decisions are
	 * taken on.
	 * @param routeId the route
	 * @return the state, empty when it never started
	 * @throws dev.strangler.gateway.state.StateUnavailableException when a shared store
	 * cannot be read
	 */
	Optional<ProgressionState> load(String routeId);

	/**
	 * The state to show: {@link #load}, or, when a shared store cannot be read, the last
	 * state this instance read or wrote. Never throws for an unreachable store.
	 * @param routeId the route
	 * @return the state, empty when it never started or was never seen
	 */
	default Optional<ProgressionState> lastSeen(String routeId) {
		return load(routeId);
	}

	/**
	 * Stores a state durably before returning.
	 * @param state the state
	 * @throws dev.strangler.gateway.state.StateFileException when a file cannot be
	 * written
	 * @throws dev.strangler.gateway.state.StateUnavailableException when a shared store
	 * cannot be reached
	 */
	void save(ProgressionState state);

}
