package dev.strangler.gateway.admin;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.strangler.gateway.cache.RouteCaches;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.evidence.ClusterDiffs;
import dev.strangler.gateway.evidence.ClusterEvidence;
import dev.strangler.gateway.evidence.RecentDiffs;
import dev.strangler.gateway.control.ControlledRoute;
import dev.strangler.gateway.control.ReloadResult;
import dev.strangler.gateway.control.RouteControl;
import dev.strangler.gateway.resilience.CircuitStates;
import dev.strangler.gateway.shadow.ShadowReports;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.progression.ProgressionController;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.ClusterEvents;
import dev.strangler.gateway.state.OverrideChange;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.RevisionConflictException;
import dev.strangler.gateway.state.RouteOverride;
import dev.strangler.gateway.state.StateFileException;
import dev.strangler.gateway.state.StateUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;

/**
 * What the admin API reads and does, as Java calls: the route views, setting and clearing
 * overrides (validated, audited with the acting user) and emptying a route's cache. The
 * actuator endpoint and the dashboard both go through it, so a change made in a browser
 * is the same change as one made with {@code curl}.
 *
 * <pre class="code">
 * admin.setOverride("catalog", "canary", "25", "ramp up", Actor.operator("admin"));
 * admin.route("catalog").map(RouteDetail::route).map(RouteView::effective); // canary 25
 * </pre>
 */
public final class MigrationAdmin {

	/** Audit entries shown with a route. */
	static final int AUDIT_ENTRIES = 20;

	private static final Log logger = LogFactory.getLog(MigrationAdmin.class);

	private final RouteControl control;

	private final OverrideStore store;

	private final AuditLog auditLog;

	private final Optional<RouteCaches> caches;

	private final Optional<ShadowReports> shadow;

	// Set with a shared store: cache evictions and reloads reach every instance.
	private final Optional<ClusterEvents> events;

	private final MigrationViews views;

	private final ClusterEvidence evidence;

	private final Duration evidenceWindow;

	private final ClusterDiffs diffs;

	// Present with either state store; optional so the admin API does not need it.
	private final Optional<ProgressionController> progressions;

	MigrationAdmin(RouteControl control, OverrideStore store, AuditLog auditLog, Optional<RouteCaches> caches,
			RouteTraffic traffic, Optional<ShadowReports> shadow, Optional<CircuitStates> circuits,
			Optional<ClusterEvents> events, ClusterEvidence evidence, Duration evidenceWindow, ClusterDiffs diffs,
			Optional<ProgressionController> progressions) {
		this.control = control;
		this.diffs = diffs;
		this.progressions = progressions;
		this.evidence = evidence;
		this.evidenceWindow = evidenceWindow;
		this.events = events;
		this.store = store;
		this.auditLog = auditLog;
		this.caches = caches;
		this.shadow = shadow;
		this.views = new MigrationViews(traffic, caches, shadow, circuits);
	}

	/**
	 * Every route, as {@code GET /actuator/migration} shows it.
	 * @return the overview
	 */
	public MigrationViews.Overview overview() {
		return this.views.overview(this.control.state());
	}

	/**
	 * One route with its recent audit trail, as {@code GET /actuator/migration/{id}}
	 * shows it.
	 * @param id the route id
	 * @return the route, empty if no route has that id
	 */
	public Optional<MigrationViews.RouteDetail> route(String id) {
		return this.control.state()
			.route(id)
			.map((route) -> this.views.detail(route, revision(id), audit(id),
					this.evidence.window(id, this.evidenceWindow),
					this.progressions.flatMap((progressions) -> progressions.view(id)).orElse(null)));
	}

	private List<AuditEntry> audit(String id) {
		try {
			return this.auditLog.recent(id, AUDIT_ENTRIES);
		}
		catch (StateUnavailableException ex) {
			// The route and its figures are known locally; only the shared trail is not.
			logger.warn("Audit trail of route '" + id + "' not shown: " + ex.getMessage());
			return List.of();
		}
	}

	private long revision(String id) {
		return this.control.state().overrides().revision(id);
	}

	/**
	 * The latest shadow mismatches of a route, newest first: of every instance with the
	 * Redis store, else (or while Redis cannot be read) this instance's. May wait for
	 * Redis: never call it on an event loop.
	 * @param id the route id
	 * @return the mismatches, empty when none or when shadowing is off
	 */
	public List<DiffRecord> diffs(String id) {
		return recentDiffs(id).records();
	}

	/**
	 * Like {@link #diffs(String)}, with the instance that recorded each mismatch and
	 * whether they are the cluster's.
	 * @param id the route id
	 * @return the mismatches
	 */
	public RecentDiffs recentDiffs(String id) {
		return this.diffs.recent(id, () -> this.shadow.map((reports) -> reports.diffs(id)).orElse(List.of()));
	}

	/**
	 * Whether the route's file gives it a {@code cache} block.
	 * @param id the route id
	 * @return whether it has a cache to empty
	 */
	public boolean hasCache(String id) {
		return this.control.state().route(id).map((route) -> route.configured().cache() != null).orElse(false);
	}

	/**
	 * Sets a route's override ({@code stage}, {@code percent} or both, laid over the
	 * override already set), audited as done by {@code actor}.
	 * @param id the route id
	 * @param stage the stage to set, or {@code null}
	 * @param percent the percent to set, or {@code null}
	 * @param reason why, or {@code null}
	 * @param actor who
	 * @return the route as it is now
	 * @throws Refused naming what is wrong; nothing was changed then
	 */
	public MigrationViews.RouteView setOverride(String id, @Nullable String stage, @Nullable String percent,
			@Nullable String reason, Actor actor) {
		return setOverride(id, stage, percent, reason, null, actor);
	}

	/**
	 * Like {@link #setOverride(String, String, String, String, Actor)}, but only if the
	 * route is still at {@code revision} (compare-and-set).
	 * @param id the route id
	 * @param stage the stage to set, or {@code null}
	 * @param percent the percent to set, or {@code null}
	 * @param reason why, or {@code null}
	 * @param revision the revision the change is based on, or {@code null} for any
	 * @param actor who
	 * @return the route as it is now
	 * @throws Refused naming what is wrong ({@link Conflict} for a stale revision);
	 * nothing was changed then
	 */
	public MigrationViews.RouteView setOverride(String id, @Nullable String stage, @Nullable String percent,
			@Nullable String reason, @Nullable String revision, Actor actor) {
		ControlledRoute route = this.control.state().route(id).orElseThrow(() -> unknown(id));
		OverrideRequest request;
		OptionalLong expected;
		try {
			request = OverrideRequest.parse(stage, percent, reason);
			expected = OverrideRequest.revision(revision);
		}
		catch (OverrideRequest.InvalidField ex) {
			throw new Refused(HttpStatus.BAD_REQUEST, ex.field(), ex.getMessage());
		}
		if (request.settings().stage().filter((wanted) -> wanted.needsTarget()).isPresent()
				&& route.configured().target() == null) {
			throw new Refused(HttpStatus.BAD_REQUEST, "stage", "route '" + id + "' has no target in its route file, "
					+ "so its stage can only be legacy (was '" + stage + "')");
		}
		try {
			OverrideChange change = this.store.update(id, actor, request.reason(), expected,
					(before) -> Optional.of(before.map(RouteOverride::settings)
						.map((settings) -> settings.overlaidWith(request.settings()))
						.orElse(request.settings())));
			logger.info("Override of route '" + id + "' set by " + actor.name() + ": " + describe(change));
		}
		catch (StateFileException ex) {
			throw stateFailure(ex);
		}
		catch (StateUnavailableException ex) {
			throw storeUnavailable(ex);
		}
		catch (RevisionConflictException ex) {
			throw new Conflict(ex);
		}
		return current(id);
	}

	/**
	 * Clears a route's override, so its route file applies again; an override whose route
	 * is gone can be cleared too.
	 * @param id the route id
	 * @param reason why, or {@code null}
	 * @param actor who
	 * @return the route as it is now, empty when no route file defines it
	 * @throws Refused when neither a route nor an override has that id, or the change
	 * could not be stored
	 */
	public Optional<MigrationViews.RouteView> clearOverride(String id, @Nullable String reason, Actor actor) {
		return clearOverride(id, reason, null, actor);
	}

	/**
	 * Like {@link #clearOverride(String, String, Actor)}, but only if the route is still
	 * at {@code revision} (compare-and-set).
	 * @param id the route id
	 * @param reason why, or {@code null}
	 * @param revision the revision the change is based on, or {@code null} for any
	 * @param actor who
	 * @return the route as it is now, empty when no route file defines it
	 * @throws Refused as for {@link #clearOverride(String, String, Actor)}, or a
	 * {@link Conflict} for a stale revision
	 */
	public Optional<MigrationViews.RouteView> clearOverride(String id, @Nullable String reason,
			@Nullable String revision, Actor actor) {
		OptionalLong expected;
		try {
			expected = OverrideRequest.revision(revision);
		}
		catch (OverrideRequest.InvalidField ex) {
			throw new Refused(HttpStatus.BAD_REQUEST, ex.field(), ex.getMessage());
		}
		if (this.control.state().route(id).isEmpty() && this.control.state().overrides().get(id).isEmpty()) {
			throw unknown(id);
		}
		try {
			OverrideChange change = this.store.update(id, actor, (reason != null) ? reason : "", expected,
					(before) -> Optional.empty());
			if (change.before().isPresent()) {
				logger.info("Override of route '" + id + "' cleared by " + actor.name());
			}
		}
		catch (StateFileException ex) {
			throw stateFailure(ex);
		}
		catch (StateUnavailableException ex) {
			throw storeUnavailable(ex);
		}
		catch (RevisionConflictException ex) {
			throw new Conflict(ex);
		}
		return this.control.state().route(id).map((route) -> this.views.route(route, revision(id)));
	}

	/**
	 * Empties a route's response cache.
	 * @param id the route id
	 * @return whether there was a cache to empty (one is built on first use)
	 * @throws Refused when the route is unknown or has no cache block
	 */
	public boolean evictCache(String id) {
		ControlledRoute route = this.control.state().route(id).orElseThrow(() -> unknown(id));
		if (route.configured().cache() == null) {
			throw new Refused(HttpStatus.CONFLICT, null, "Route '" + id + "' has no cache block: nothing to empty");
		}
		boolean emptied = this.caches.map((caches) -> caches.evict(id)).orElse(false);
		this.events.ifPresent((events) -> events.publish(ClusterEvents.Event.evict(id)));
		return emptied;
	}

	/**
	 * Re-reads the route files now, and asks every other instance to do the same when the
	 * state store is shared.
	 * @return what the reload found
	 */
	public ReloadResult reload() {
		ReloadResult result = this.control.reload();
		this.events.ifPresent((events) -> events.publish(ClusterEvents.Event.reload()));
		return result;
	}

	private MigrationViews.RouteView current(String id) {
		return this.control.state()
			.route(id)
			.map((route) -> this.views.route(route, revision(id)))
			.orElseThrow(() -> unknown(id));
	}

	private static Refused unknown(String id) {
		return new Refused(HttpStatus.NOT_FOUND, null, "No route '" + id + "' in the route files");
	}

	private static Refused stateFailure(StateFileException ex) {
		logger.error("Override change not stored: " + ex.getMessage(), ex);
		return new Refused(HttpStatus.SERVICE_UNAVAILABLE, null,
				"The override could not be stored; nothing was changed: " + ex.getMessage());
	}

	private static Refused storeUnavailable(StateUnavailableException ex) {
		logger.error("Override change refused: " + ex.getMessage());
		return new Refused(HttpStatus.SERVICE_UNAVAILABLE, null, "The shared state store is unavailable, so overrides "
				+ "cannot be changed now (traffic keeps the state last seen): " + ex.getMessage());
	}

	private static String describe(OverrideChange change) {
		return change.before().map(MigrationViews::override).map(Object::toString).orElse("none") + " -> "
				+ change.after().map(MigrationViews::override).map(Object::toString).orElse("none");
	}

	@Override
	public String toString() {
		return "MigrationAdmin[" + this.control + "]";
	}

	/**
	 * An admin call refused; nothing was changed.
	 */
	public static class Refused extends RuntimeException {

		private final HttpStatus status;

		private final String field;

		Refused(HttpStatus status, @Nullable String field, String message) {
			super(message);
			this.status = status;
			this.field = field;
		}

		/**
		 * The HTTP status the admin API answers with.
		 * @return the status
		 */
		public HttpStatus status() {
			return this.status;
		}

		/**
		 * The input field that is wrong.
		 * @return the field, {@code null} when the refusal is not about one
		 */
		@Nullable
		public String field() {
			return this.field;
		}

	}

	/**
	 * A change based on a revision that is no longer current; nothing was changed.
	 */
	public static final class Conflict extends Refused {

		private final long current;

		private final transient Object override;

		Conflict(RevisionConflictException ex) {
			super(HttpStatus.CONFLICT, null,
					"Route '" + ex.routeId() + "' is at revision " + ex.current() + ", not " + ex.expected()
							+ ": it was changed in between; nothing was changed. Check the current override and "
							+ "send the change again with revision " + ex.current());
			this.current = ex.current();
			this.override = ex.override().map(MigrationViews::override).orElse(null);
		}

		/**
		 * The route's current revision.
		 * @return the revision
		 */
		public long current() {
			return this.current;
		}

		/**
		 * The route's current override, as the admin API shows it.
		 * @return the override, {@code null} when none
		 */
		@Nullable
		public Object override() {
			return this.override;
		}

	}

}
