package dev.strangler.gateway.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.lang.Nullable;

/**
 * Builds and keeps each route's Resilience4j instances in Resilience4j's own registries
 * (so {@code resilience4j.*} properties, Micrometer metrics and the Actuator endpoints
 * see them), named {@code <route>-target} and, only for a route that opts in with
 * {@code resilience.legacy}, {@code <route>-legacy}: legacy is otherwise passed through
 * unguarded, like requests no route claims.
 *
 * <pre class="code">
 * RouteGuards guards = routeResilience.guards(route);   // built on first use
 * guards.target().protect(call, true);
 * </pre>
 *
 * <p>
 * Configuration: the registry's named configuration {@code <route>-<backend>} if there is
 * one ({@code resilience4j.circuitbreaker.configs.catalog-target.*}), else its
 * {@code default}, with the route file's {@code resilience} values laid over it. When a
 * reload changes a route's {@code resilience} block, its instances are replaced (and
 * start closed); any other change of the route keeps them and their state.
 */
final class RouteResilience {

	private static final Log logger = LogFactory.getLog(RouteResilience.class);

	private final CircuitBreakerRegistry circuitBreakers;

	private final TimeLimiterRegistry timeLimiters;

	private final RetryRegistry retries;

	private final BulkheadRegistry bulkheads;

	private final Consumer<CircuitBreaker> onTargetBreakerCreated;

	private final Map<String, RouteGuards> guards = new ConcurrentHashMap<>();

	/**
	 * Creates the instance keeper.
	 * @param circuitBreakers where circuit breakers live
	 * @param timeLimiters where time limiters live
	 * @param retries where retries live
	 * @param bulkheads where bulkheads live
	 * @param onTargetBreakerCreated told about each new target circuit breaker (to follow
	 * its state)
	 */
	RouteResilience(CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters, RetryRegistry retries,
			BulkheadRegistry bulkheads, Consumer<CircuitBreaker> onTargetBreakerCreated) {
		this.circuitBreakers = circuitBreakers;
		this.timeLimiters = timeLimiters;
		this.retries = retries;
		this.bulkheads = bulkheads;
		this.onTargetBreakerCreated = onTargetBreakerCreated;
	}

	/**
	 * The instances of a route, built on first use and rebuilt when its
	 * {@code resilience} block changed.
	 * @param route the route as now in force
	 * @return its guards
	 */
	RouteGuards guards(Route route) {
		RouteGuards current = this.guards.get(route.id());
		if (current != null && current.settings().equals(route.resilience())) {
			return current;
		}
		return this.guards.compute(route.id(), (id, existing) -> {
			if (existing != null && existing.settings().equals(route.resilience())) {
				return existing;
			}
			if (existing != null) {
				logger.info("Route " + id + ": resilience settings changed to " + route.resilience()
						+ ", circuit breakers, time limiters, retries and bulkheads rebuilt");
			}
			return build(route);
		});
	}

	/**
	 * The guards of a route, if it was ever called.
	 * @param routeId the route
	 * @return its guards
	 */
	Optional<RouteGuards> existing(String routeId) {
		return Optional.ofNullable(this.guards.get(routeId));
	}

	private RouteGuards build(Route route) {
		Route.Resilience settings = route.resilience();
		String targetName = name(route.id(), Backend.TARGET);
		String legacyName = name(route.id(), Backend.LEGACY);
		CircuitBreaker targetBreaker = circuitBreaker(targetName,
				(base) -> base.failureRateThreshold(settings.failureRateThreshold())
					.slowCallDurationThreshold(settings.slowCallThreshold())
					.waitDurationInOpenState(settings.openStateWait()));
		this.onTargetBreakerCreated.accept(targetBreaker);
		BackendGuard target = new BackendGuard(targetBreaker, timeLimiter(targetName, settings.timeout()),
				bulkhead(targetName), retry(targetName, settings.retries() + 1));
		return new RouteGuards(settings, target, legacyGuard(legacyName, settings.legacy()));
	}

	@Nullable
	private LegacyCallGuard legacyGuard(String name, @Nullable Route.LegacyGuard settings) {
		if (settings == null) {
			// Opted out (again): no instance left behind for metrics or the admin API.
			this.circuitBreakers.remove(name);
			this.bulkheads.remove(name);
			return null;
		}
		CircuitBreaker breaker = circuitBreaker(name,
				(base) -> base.failureRateThreshold(settings.failureRateThreshold())
					.slowCallDurationThreshold(settings.slowCallThreshold())
					.waitDurationInOpenState(settings.openStateWait()));
		BulkheadConfig base = this.bulkheads.getConfiguration(name).orElseGet(this.bulkheads::getDefaultConfig);
		this.bulkheads.remove(name);
		Bulkhead bulkhead = this.bulkheads.bulkhead(name,
				BulkheadConfig.from(base).maxConcurrentCalls(settings.maxConcurrentCalls()).build());
		return new LegacyCallGuard(breaker, bulkhead);
	}

	private CircuitBreaker circuitBreaker(String name, UnaryOperator<CircuitBreakerConfig.Builder> routeValues) {
		CircuitBreakerConfig base = this.circuitBreakers.getConfiguration(name)
			.orElseGet(this.circuitBreakers::getDefaultConfig);
		// Replaced whole, never reconfigured: an instance made from
		// resilience4j.*.instances
		// would otherwise keep its own values. A 5xx answer counts as a failure: the
		// attempt's result is the response status.
		CircuitBreakerConfig config = routeValues.apply(CircuitBreakerConfig.from(base))
			.recordResult(RouteResilience::isServerError)
			.build();
		this.circuitBreakers.remove(name);
		return this.circuitBreakers.circuitBreaker(name, config);
	}

	private TimeLimiter timeLimiter(String name, Duration timeout) {
		TimeLimiterConfig base = this.timeLimiters.getConfiguration(name)
			.orElseGet(this.timeLimiters::getDefaultConfig);
		this.timeLimiters.remove(name);
		return this.timeLimiters.timeLimiter(name, TimeLimiterConfig.from(base).timeoutDuration(timeout).build());
	}

	private Bulkhead bulkhead(String name) {
		this.bulkheads.remove(name);
		return this.bulkheads.bulkhead(name,
				this.bulkheads.getConfiguration(name).orElseGet(this.bulkheads::getDefaultConfig));
	}

	private Retry retry(String name, int maxAttempts) {
		RetryConfig base = this.retries.getConfiguration(name).orElseGet(this.retries::getDefaultConfig);
		// Failures worth another attempt: a 5xx answer or an error of the attempt; an
		// open
		// circuit or a full bulkhead is not (the next attempt would be refused too).
		RetryConfig config = RetryConfig.<Object>from(base)
			.maxAttempts(Math.max(1, maxAttempts))
			.retryOnResult(RouteResilience::isServerError)
			.retryOnException((error) -> {
				TargetFailure failure = TargetFailure.of(error);
				return failure != TargetFailure.CIRCUIT_OPEN && failure != TargetFailure.BULKHEAD_FULL;
			})
			.failAfterMaxAttempts(false)
			.build();
		this.retries.remove(name);
		return this.retries.retry(name, config);
	}

	static boolean isServerError(Object result) {
		return result instanceof Integer status && status >= 500;
	}

	/**
	 * The name of a route's instances for one backend.
	 * @param routeId the route
	 * @param backend the backend
	 * @return {@code <route>-target} or {@code <route>-legacy}
	 */
	static String name(String routeId, Backend backend) {
		return routeId + "-" + backend.value();
	}

	@Override
	public String toString() {
		return "RouteResilience" + this.guards.keySet();
	}

	/**
	 * A route's instances, with the settings they were built from.
	 *
	 * @param settings the route's {@code resilience} block
	 * @param target protects calls to the target
	 * @param legacy protects calls to legacy; {@code null} unless the route opted in
	 */
	record RouteGuards(Route.Resilience settings, BackendGuard target, @Nullable LegacyCallGuard legacy) {

	}

}
