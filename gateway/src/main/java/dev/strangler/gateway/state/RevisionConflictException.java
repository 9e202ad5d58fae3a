package dev.strangler.gateway.state;

import java.util.Optional;

/**
 * A change that named the route revision it was based on, while another change had
 * already been committed: nothing was changed. Carries the route's current state so the
 * caller can show it and decide again.
 */
public class RevisionConflictException extends RuntimeException {

	private final String routeId;

	private final long expected;

	private final long current;

	private final Optional<RouteOverride> override;

	/**
	 * Creates the exception.
	 * @param routeId the route
	 * @param expected the revision the change was based on
	 * @param current the route's revision now
	 * @param override the route's override now
	 */
	public RevisionConflictException(String routeId, long expected, long current, Optional<RouteOverride> override) {
		super("route '" + routeId + "' is at revision " + current + ", not " + expected
				+ ": it was changed in between; nothing was changed");
		this.routeId = routeId;
		this.expected = expected;
		this.current = current;
		this.override = override;
	}

	public String routeId() {
		return this.routeId;
	}

	public long expected() {
		return this.expected;
	}

	public long current() {
		return this.current;
	}

	public Optional<RouteOverride> override() {
		return this.override;
	}

}
