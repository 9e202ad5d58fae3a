package dev.strangler.gateway.resilience;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.OverrideChange;
import dev.strangler.gateway.state.OverrideSettings;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.RouteOverride;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Sends a canary route back to legacy when its target circuit opens: sets an audited
 * override (stage {@code legacy}, actor automatic, reason {@value #REASON}) that stays
 * until an operator promotes the route again, counts it in
 * {@code strangler.rollbacks{route}} and logs it.
 *
 * <pre class="code">
 * AutomaticRollback rollback = new AutomaticRollback(routes, store, meters, executor);
 * rollback.follow(circuitBreakerOfCatalogTarget);
 * </pre>
 */
final class AutomaticRollback {

	/** The reason recorded with the override and in the audit trail. */
	static final String REASON = "target circuit open";

	/** Who the audit trail names. */
	static final Actor ACTOR = Actor.automatic("auto-rollback");

	private static final Log logger = LogFactory.getLog(AutomaticRollback.class);

	private final RouteTableHolder routes;

	private final OverrideStore store;

	private final MeterRegistry meters;

	private final Executor executor;

	// Routes whose rollback is being written: a circuit that opens twice before the new
	// table is in force must not write two overrides.
	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the rollback.
	 * @param routes the routes in force, to see whether a route is in canary
	 * @param store where the override goes
	 * @param meters where the counter goes
	 * @param executor runs the store's write, which syncs a file and must never block the
	 * event loop that saw the circuit open
	 */
	AutomaticRollback(RouteTableHolder routes, OverrideStore store, MeterRegistry meters, Executor executor) {
		this.routes = routes;
		this.store = store;
		this.meters = meters;
		this.executor = executor;
	}

	/**
	 * Follows a route's target circuit breaker.
	 * @param targetBreaker a breaker named {@code <route>-target}
	 */
	void follow(CircuitBreaker targetBreaker) {
		String routeId = targetBreaker.getName().substring(0, targetBreaker.getName().lastIndexOf('-'));
		targetBreaker.getEventPublisher().onStateTransition((event) -> transitioned(routeId, event));
	}

	private void transitioned(String routeId, CircuitBreakerOnStateTransitionEvent event) {
		if (event.getStateTransition().getToState() != CircuitBreaker.State.OPEN) {
			return;
		}
		Optional<Route> route = this.routes.current().route(routeId);
		if (route.isEmpty() || route.get().stage() != Stage.CANARY || !this.pending.add(routeId)) {
			return;
		}
		this.executor.execute(() -> {
			try {
				rollBack(routeId);
			}
			finally {
				this.pending.remove(routeId);
			}
		});
	}

	private void rollBack(String routeId) {
		OverrideSettings toLegacy = new OverrideSettings(Optional.of(Stage.LEGACY), Optional.empty());
		try {
			// The percent an operator set is kept, so promoting back to canary resumes
			// it.
			OverrideChange change = this.store.update(routeId, ACTOR, REASON,
					(before) -> Optional.of(before.map(RouteOverride::settings)
						.map((settings) -> settings.overlaidWith(toLegacy))
						.orElse(toLegacy)));
			Counter.builder("strangler.rollbacks")
				.description("Automatic rollbacks of canary routes to legacy")
				.tag("route", routeId)
				.register(this.meters)
				.increment();
			logger.warn("Route " + routeId + ": target circuit open, rolled back to stage legacy by an automatic"
					+ " override (was " + change.before().map(RouteOverride::settings) + "); promote it again"
					+ " through the admin API once the target is healthy");
		}
		catch (RuntimeException ex) {
			logger.error("Route " + routeId + ": target circuit open, but the automatic rollback could not be"
					+ " stored; the circuit breaker still falls back to legacy", ex);
		}
	}

	@Override
	public String toString() {
		return "AutomaticRollback[store=" + this.store + "]";
	}

}
