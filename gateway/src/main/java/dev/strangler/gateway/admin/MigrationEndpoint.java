package dev.strangler.gateway.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.strangler.gateway.cache.RouteCaches;
import dev.strangler.gateway.resilience.CircuitStates;
import dev.strangler.gateway.control.ControlledRoute;
import dev.strangler.gateway.control.ReloadResult;
import dev.strangler.gateway.control.RouteControl;
import dev.strangler.gateway.shadow.ShadowReports;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.OverrideChange;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.RouteOverride;
import dev.strangler.gateway.state.StateFileException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.lang.Nullable;

/**
 * The admin API, {@code /actuator/migration} on the management port (DESIGN §4,
 * docs/admin-api.md): every route's configured and effective stage and percent, its
 * override and live figures; setting and clearing overrides; emptying a route's cache;
 * reloading the route files.
 *
 * <pre class="code">
 * curl -u admin:$STRANGLER_ADMIN_PASSWORD -H 'Content-Type: application/json' \
 *   -d '{"stage":"canary","percent":25,"reason":"ramp up"}' localhost:9090/actuator/migration/catalog
 * </pre>
 *
 * Errors are {@code application/problem+json}; a body field that is wrong is named in
 * {@code field}.
 */
@Endpoint(id = MigrationEndpoint.ID)
final class MigrationEndpoint {

	static final String ID = "migration";

	/** Not a route id (route files may not use it): the reload action. */
	static final String RELOAD = "reload";

	static final int AUDIT_ENTRIES = 20;

	private static final String BASE = "/actuator/" + ID;

	private static final Log logger = LogFactory.getLog(MigrationEndpoint.class);

	private final RouteControl control;

	private final OverrideStore store;

	private final AuditLog auditLog;

	private final Optional<RouteCaches> caches;

	private final MigrationViews views;

	private final Optional<ShadowReports> shadow;

	MigrationEndpoint(RouteControl control, OverrideStore store, AuditLog auditLog, Optional<RouteCaches> caches,
			RouteTraffic traffic, Optional<ShadowReports> shadow, Optional<CircuitStates> circuits) {
		this.control = control;
		this.store = store;
		this.auditLog = auditLog;
		this.caches = caches;
		this.shadow = shadow;
		this.views = new MigrationViews(traffic, caches, shadow, circuits);
	}

	@ReadOperation
	MigrationViews.Overview routes() {
		return this.views.overview(this.control.state());
	}

	@ReadOperation
	WebEndpointResponse<Object> route(@Selector String id) {
		Optional<ControlledRoute> route = this.control.state().route(id);
		if (route.isEmpty()) {
			return AdminProblem.unknownRoute(id, BASE + "/" + id);
		}
		return new WebEndpointResponse<>(this.views.detail(route.get(), this.auditLog.recent(id, AUDIT_ENTRIES)));
	}

	@ReadOperation
	WebEndpointResponse<Object> routePart(@Selector String id, @Selector String part) {
		String instance = BASE + "/" + id + "/" + part;
		if (!"diffs".equals(part)) {
			return AdminProblem.of(HttpStatus.NOT_FOUND, "Unknown resource '" + part + "'; try diffs", instance);
		}
		if (this.control.state().route(id).isEmpty()) {
			return AdminProblem.unknownRoute(id, instance);
		}
		// the most recent mismatches of the shadow comparison, newest first
		return new WebEndpointResponse<>(this.shadow.map((reports) -> reports.diffs(id)).orElse(List.of()));
	}

	/**
	 * Sets a route's override ({@code stage}, {@code percent} or both, laid over the
	 * override already set), or reloads the route files for the reserved id
	 * {@value #RELOAD}.
	 */
	@WriteOperation
	WebEndpointResponse<Object> write(@Selector String id, @Nullable String stage, @Nullable String percent,
			@Nullable String reason, SecurityContext security) {
		String instance = BASE + "/" + id;
		if (RELOAD.equals(id)) {
			if (stage != null || percent != null) {
				return AdminProblem.badRequest((stage != null) ? "stage" : "percent",
						"reload takes no stage or percent", instance);
			}
			return reload(instance);
		}
		Optional<ControlledRoute> route = this.control.state().route(id);
		if (route.isEmpty()) {
			return AdminProblem.unknownRoute(id, instance);
		}
		OverrideRequest request;
		try {
			request = OverrideRequest.parse(stage, percent, reason);
		}
		catch (OverrideRequest.InvalidField ex) {
			return AdminProblem.badRequest(ex.field(), ex.getMessage(), instance);
		}
		if (request.settings().stage().filter((wanted) -> wanted.needsTarget()).isPresent()
				&& route.get().configured().target() == null) {
			return AdminProblem.badRequest("stage", "route '" + id + "' has no target in its route file, so its "
					+ "stage can only be legacy (was '" + stage + "')", instance);
		}
		Actor actor = actor(security);
		try {
			OverrideChange change = this.store.update(id, actor, request.reason(),
					(before) -> Optional.of(before.map(RouteOverride::settings)
						.map((settings) -> settings.overlaidWith(request.settings()))
						.orElse(request.settings())));
			logger.info("Override of route '" + id + "' set by " + actor.name() + ": " + describe(change));
		}
		catch (StateFileException ex) {
			return stateFailure(ex, instance);
		}
		return routeResponse(id);
	}

	@DeleteOperation
	WebEndpointResponse<Object> clear(@Selector String id, SecurityContext security) {
		String instance = BASE + "/" + id;
		// An override whose route is gone can be cleared too: that is how it is removed.
		if (this.control.state().route(id).isEmpty() && this.control.state().overrides().get(id).isEmpty()) {
			return AdminProblem.unknownRoute(id, instance);
		}
		Actor actor = actor(security);
		try {
			OverrideChange change = this.store.clear(id, actor, "");
			if (change.before().isPresent()) {
				logger.info("Override of route '" + id + "' cleared by " + actor.name());
			}
		}
		catch (StateFileException ex) {
			return stateFailure(ex, instance);
		}
		return (this.control.state().route(id).isPresent()) ? routeResponse(id)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
	}

	@DeleteOperation
	WebEndpointResponse<Object> clearPart(@Selector String id, @Selector String part) {
		String instance = BASE + "/" + id + "/" + part;
		if (!"cache".equals(part)) {
			return AdminProblem.of(HttpStatus.NOT_FOUND, "Unknown resource '" + part + "'; try cache", instance);
		}
		Optional<ControlledRoute> route = this.control.state().route(id);
		if (route.isEmpty()) {
			return AdminProblem.unknownRoute(id, instance);
		}
		if (route.get().configured().cache() == null) {
			return AdminProblem.of(HttpStatus.CONFLICT, "Route '" + id + "' has no cache block: nothing to empty",
					instance);
		}
		boolean emptied = this.caches.map((caches) -> caches.evict(id)).orElse(false);
		return new WebEndpointResponse<>(new CacheEviction(id, emptied));
	}

	private WebEndpointResponse<Object> reload(String instance) {
		ReloadResult result = this.control.reload();
		MigrationViews.ReloadView view = MigrationViews.reload(result);
		if (result.succeeded()) {
			return new WebEndpointResponse<>(view);
		}
		Map<String, Object> problem = AdminProblem.problem(HttpStatus.UNPROCESSABLE_ENTITY,
				"The route files were not applied; the routes in force are kept. " + view.error().message(), instance);
		problem.put("routesInForce", view.routes());
		return new WebEndpointResponse<>(problem, HttpStatus.UNPROCESSABLE_ENTITY.value(), AdminProblem.PROBLEM_JSON);
	}

	private WebEndpointResponse<Object> routeResponse(String id) {
		return this.control.state()
			.route(id)
			.<WebEndpointResponse<Object>>map((route) -> new WebEndpointResponse<>(this.views.route(route)))
			.orElseGet(() -> AdminProblem.unknownRoute(id, BASE + "/" + id));
	}

	private static WebEndpointResponse<Object> stateFailure(StateFileException ex, String instance) {
		logger.error("Override change not stored: " + ex.getMessage(), ex);
		return AdminProblem.of(HttpStatus.SERVICE_UNAVAILABLE,
				"The override could not be stored; nothing was changed: " + ex.getMessage(), instance);
	}

	private static Actor actor(SecurityContext security) {
		// Security guarantees a principal here; the fallback keeps the audit trail whole
		// should the endpoint ever be exposed without it.
		return (security.getPrincipal() != null) ? Actor.operator(security.getPrincipal().getName())
				: Actor.operator("anonymous");
	}

	private static String describe(OverrideChange change) {
		return change.before().map(MigrationViews::override).map(Object::toString).orElse("none") + " -> "
				+ change.after().map(MigrationViews::override).map(Object::toString).orElse("none");
	}

	@Override
	public String toString() {
		return "MigrationEndpoint[" + this.control + "]";
	}

	/**
	 * The answer of {@code DELETE /actuator/migration/{id}/cache}.
	 *
	 * @param route the route
	 * @param emptied whether there was a cache to empty (one is built on first use)
	 */
	record CacheEviction(String route, boolean emptied) {

	}

}
