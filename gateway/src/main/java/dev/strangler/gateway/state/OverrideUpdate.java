package dev.strangler.gateway.state;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One override change worked out against the state it is based on, before any store
 * commits it: the same rules (revision check, stamping, audit entry) for every store.
 *
 * <pre>{@code
 * OverrideUpdate update = OverrideUpdate.of(current, "catalog", actor, "ramp", expected, change, now);
 * if (!update.changesNothing()) {
 *     OverrideSnapshot next = update.applyTo(current, update.routeRevision() + 1, current.revision() + 1);
 * }
 * }</pre>
 *
 * @param routeId the route
 * @param before its override in the state the change is based on
 * @param after its override once the change is committed
 * @param routeRevision the route's revision in that state
 * @param audit the entry that records the change
 */
public record OverrideUpdate(String routeId, Optional<RouteOverride> before, Optional<RouteOverride> after,
		long routeRevision, AuditEntry audit) {

	/**
	 * Works a change out.
	 * @param current the state the change is based on
	 * @param routeId the route
	 * @param actor who
	 * @param reason why
	 * @param expectedRevision the route revision the caller saw, if any
	 * @param change computes the new settings from the current override
	 * @param now when
	 * @return the change
	 * @throws RevisionConflictException when the route is not at the expected revision
	 */
	public static OverrideUpdate of(OverrideSnapshot current, String routeId, Actor actor, String reason,
			OptionalLong expectedRevision, Function<Optional<RouteOverride>, Optional<OverrideSettings>> change,
			Instant now) {
		Objects.requireNonNull(routeId, "routeId");
		Objects.requireNonNull(actor, "actor");
		Objects.requireNonNull(reason, "reason");
		Optional<RouteOverride> before = current.get(routeId);
		long routeRevision = current.revision(routeId);
		if (expectedRevision.isPresent() && expectedRevision.getAsLong() != routeRevision) {
			throw new RevisionConflictException(routeId, expectedRevision.getAsLong(), routeRevision, before);
		}
		Optional<RouteOverride> after = change.apply(before)
			.map((settings) -> RouteOverride.of(routeId, settings, actor.name(), now, reason));
		return new OverrideUpdate(routeId, before, after, routeRevision,
				AuditEntry.of(actor, now, routeId, reason, before, after));
	}

	/**
	 * Tells whether there is nothing to commit: clearing a route without override.
	 * @return {@code true} when there is no override before nor after
	 */
	public boolean changesNothing() {
		return this.before.isEmpty() && this.after.isEmpty();
	}

	/**
	 * The state once the change is committed.
	 * @param current the state it was based on
	 * @param newRouteRevision the route's revision after the change
	 * @param newRevision the store's revision after the change
	 * @return the new snapshot
	 */
	public OverrideSnapshot applyTo(OverrideSnapshot current, long newRouteRevision, long newRevision) {
		Map<String, RouteOverride> overrides = new TreeMap<>(current.overrides());
		this.after.ifPresentOrElse((override) -> overrides.put(this.routeId, override),
				() -> overrides.remove(this.routeId));
		Map<String, Long> revisions = new TreeMap<>(current.routeRevisions());
		revisions.put(this.routeId, newRouteRevision);
		return new OverrideSnapshot(newRevision, overrides, revisions);
	}

	/**
	 * The outcome to report once committed.
	 * @param next the snapshot after the change
	 * @return the change
	 */
	public OverrideChange committed(OverrideSnapshot next) {
		return new OverrideChange(this.routeId, this.before, this.after, next);
	}

}
