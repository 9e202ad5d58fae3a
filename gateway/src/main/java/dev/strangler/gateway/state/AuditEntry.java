package dev.strangler.gateway.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of one route's override, as recorded in the audit trail.
 *
 * @param who who made the change
 * @param when when
 * @param routeId the route
 * @param action what kind of change
 * @param reason why, as given (may be empty)
 * @param before the override before, empty when there was none
 * @param after the override after, empty when cleared
 */
public record AuditEntry(String who, Instant when, String routeId, Action action, String reason,
		Optional<RouteOverride> before, Optional<RouteOverride> after) {

	public AuditEntry {
		Objects.requireNonNull(who, "who");
		Objects.requireNonNull(when, "when");
		Objects.requireNonNull(routeId, "routeId");
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(reason, "reason");
		Objects.requireNonNull(before, "before");
		Objects.requireNonNull(after, "after");
	}

	/**
	 * The entry of one committed change, its action derived from who made it and whether
	 * an override is left.
	 * @param actor who
	 * @param when when
	 * @param routeId the route
	 * @param reason why
	 * @param before the override before
	 * @param after the override after
	 * @return the entry
	 */
	public static AuditEntry of(Actor actor, Instant when, String routeId, String reason,
			Optional<RouteOverride> before, Optional<RouteOverride> after) {
		Action action = actor.automatic() ? Action.AUTO : (after.isPresent() ? Action.SET : Action.CLEAR);
		return new AuditEntry(actor.name(), when, routeId, action, reason, before, after);
	}

	/**
	 * What kind of change an entry records.
	 */
	public enum Action {

		/** An operator set an override. */
		SET,

		/** An operator cleared an override. */
		CLEAR,

		/** The gateway changed an override on its own. */
		AUTO

	}

}
