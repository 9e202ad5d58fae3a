package dev.strangler.gateway.observe;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTableHolder;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.boot.actuate.health.CompositeReactiveHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.ReactiveHealthContributor;
import org.springframework.lang.Nullable;

/**
 * The {@code routes} health component: for every route of the route table in force, its
 * {@code legacy} and {@code target} backends ({@link BackendHealth}), the target with its
 * circuit breaker's state when one named after the route exists. Built from the current
 * table on each call, so reloads show at once.
 */
final class RouteBackendsHealthContributor implements CompositeReactiveHealthContributor {

	private final RouteTableHolder routes;

	private final BackendProbe probe;

	@Nullable
	private final CircuitBreakerRegistry circuitBreakers;

	RouteBackendsHealthContributor(RouteTableHolder routes, BackendProbe probe,
			@Nullable CircuitBreakerRegistry circuitBreakers) {
		this.routes = routes;
		this.probe = probe;
		this.circuitBreakers = circuitBreakers;
	}

	@Override
	public ReactiveHealthContributor getContributor(String name) {
		return this.routes.current().route(name).map(this::contributor).orElse(null);
	}

	@Override
	public Iterator<NamedContributor<ReactiveHealthContributor>> iterator() {
		return this.routes.current()
			.routes()
			.stream()
			.map((route) -> NamedContributor.of(route.id(), contributor(route)))
			.iterator();
	}

	private ReactiveHealthContributor contributor(Route route) {
		Map<String, ReactiveHealthContributor> backends = new LinkedHashMap<>();
		backends.put("legacy", new BackendHealth(route.legacy(), this.probe, BackendHealth.UNREACHABLE));
		route.targetUrl()
			.ifPresent((target) -> backends.put("target",
					new BackendHealth(target, this.probe, BackendHealth.UNREACHABLE, circuitState(route))));
		return CompositeReactiveHealthContributor.fromMap(backends);
	}

	private Function<Health.Builder, Health.Builder> circuitState(Route route) {
		return (builder) -> circuitBreaker(route.id())
			.map((breaker) -> builder.withDetail("circuit", breaker.getState().name()))
			.orElse(builder);
	}

	private Optional<CircuitBreaker> circuitBreaker(String routeId) {
		if (this.circuitBreakers == null) {
			return Optional.empty();
		}
		// find(), not circuitBreaker(): a health check must not create breakers. The
		// target's breaker is named <route>-target (docs/resilience.md).
		return this.circuitBreakers.find(routeId + "-target");
	}

	@Override
	public String toString() {
		return "RouteBackendsHealthContributor[" + this.routes + "]";
	}

}
