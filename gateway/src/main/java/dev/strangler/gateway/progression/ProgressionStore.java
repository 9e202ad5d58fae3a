package dev.strangler.gateway.progression;

import java.util.Optional;

/**
 * Where progression states live between decisions, so a restarted gateway resumes each
 * route at the step, counts and hold it had. Beside the override store, not in it: an
 * override is what the routes obey, a progression state is the controller's own memory.
 */
public interface ProgressionStore {

	/**
	 * The state of a route's progression.
	 * @param routeId the route
	 * @return the state, empty when it never started
	 */
	Optional<ProgressionState> load(String routeId);

	/**
	 * Stores a state durably before returning.
	 * @param state the state
	 * @throws dev.strangler.gateway.state.StateFileException when it cannot be stored
	 */
	void save(ProgressionState state);

}
