package dev.strangler.gateway.state;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where run-time overrides live. Routing code only reads {@link #snapshot()} or follows
 * {@link #subscribe(Consumer)}, so a store shared by several gateway instances can
 * replace the embedded file without touching it.
 *
 * <pre>{@code
 * OverrideStore store = new FileOverrideStore(Path.of("data"), audit, Clock.systemUTC());
 * store.subscribe(snapshot -> router.swap(snapshot));
 * store.update("catalog", Actor.operator("alice"), "ramp up",
 *     before -> Optional.of(before.map(RouteOverride::settings).map(s -> s.overlaidWith(request)).orElse(request)));
 * }</pre>
 *
 * <p>
 * Implementations must make each {@link #update update} an atomic read-modify-write (no
 * lost update between concurrent writers), durable before it returns, audited, and must
 * notify subscribers in revision order. Storing and recording succeed or fail together:
 * an update that throws leaves neither the change in force nor an entry for it in the
 * audit trail, so the admin API's answer and the audit always agree.
 */
public interface OverrideStore {

	/**
	 * Returns every override now in effect.
	 * @return an immutable snapshot
	 */
	OverrideSnapshot snapshot();

	/**
	 * Changes one route's override atomically and records the change in the audit trail.
	 * The store stamps who and when, so the override and its audit entry always agree.
	 * @param routeId the route
	 * @param actor who makes the change
	 * @param reason why (may be empty)
	 * @param change computes the new settings from the current override, empty to clear
	 * it; may be called under a lock, or more than once when a concurrent writer got in
	 * first, so it must be quick and free of side effects
	 * @return the override before and after
	 * @throws StateFileException when the change cannot be stored; nothing is changed
	 * then
	 * @throws StateUnavailableException when a shared store cannot be reached
	 */
	default OverrideChange update(String routeId, Actor actor, String reason,
			Function<Optional<RouteOverride>, Optional<OverrideSettings>> change) {
		return update(routeId, actor, reason, OptionalLong.empty(), change);
	}

	/**
	 * Changes one route's override atomically, provided the route is still at the
	 * revision the caller saw ({@link OverrideSnapshot#revision(String)}).
	 * @param routeId the route
	 * @param actor who makes the change
	 * @param reason why (may be empty)
	 * @param expectedRevision the route revision the change is based on; empty to apply
	 * it to whatever is current
	 * @param change as for {@link #update(String, Actor, String, Function)}
	 * @return the override before and after
	 * @throws RevisionConflictException when the route is at another revision; nothing is
	 * changed then
	 * @throws StateFileException when the change cannot be stored
	 * @throws StateUnavailableException when a shared store cannot be reached
	 */
	OverrideChange update(String routeId, Actor actor, String reason, OptionalLong expectedRevision,
			Function<Optional<RouteOverride>, Optional<OverrideSettings>> change);

	/**
	 * Replaces one route's override.
	 * @param routeId the route
	 * @param settings the new stage and percent
	 * @param actor who
	 * @param reason why
	 * @return the override before and after
	 */
	default OverrideChange set(String routeId, OverrideSettings settings, Actor actor, String reason) {
		return update(routeId, actor, reason, (before) -> Optional.of(settings));
	}

	/**
	 * Removes one route's override, so its route file applies again.
	 * @param routeId the route
	 * @param actor who
	 * @param reason why
	 * @return the override before, and an empty after
	 */
	default OverrideChange clear(String routeId, Actor actor, String reason) {
		return update(routeId, actor, reason, (before) -> Optional.empty());
	}

	/**
	 * Follows the overrides: {@code listener} receives the current snapshot at once, then
	 * every newer one. It must be quick (swap a reference) and must not call back into
	 * the store.
	 * @param listener receives snapshots
	 * @return the subscription, to close when no longer interested
	 */
	Subscription subscribe(Consumer<OverrideSnapshot> listener);

	/**
	 * A registration made by {@link #subscribe(Consumer)}.
	 */
	interface Subscription extends AutoCloseable {

		/**
		 * Stops the notifications.
		 */
		@Override
		void close();

	}

}
