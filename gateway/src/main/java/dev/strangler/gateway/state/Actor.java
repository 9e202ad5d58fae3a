package dev.strangler.gateway.state;

import java.util.Objects;

/**
 * Who changes an override: an operator through the admin API, or the gateway itself (an
 * automatic rollback, for instance), which the audit trail records as {@code auto}.
 *
 * @param name the operator's user name or the component's name
 * @param automatic whether the gateway made the change on its own
 */
public record Actor(String name, boolean automatic) {

	public Actor {
		Objects.requireNonNull(name, "name");
		if (name.isBlank()) {
			throw new IllegalArgumentException("actor name must not be blank");
		}
	}

	/**
	 * An operator.
	 * @param name the authenticated user name
	 * @return the actor
	 */
	public static Actor operator(String name) {
		return new Actor(name, false);
	}

	/**
	 * The gateway itself.
	 * @param component what made the change, for example {@code auto-rollback}
	 * @return the actor
	 */
	public static Actor automatic(String component) {
		return new Actor(component, true);
	}

}
