package dev.strangler.gateway.resilience;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.strangler.gateway.rollout.Backend;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * The circuit states and counts of a route's backends, for the admin API.
 *
 * <pre class="code">
 * Map&lt;String, CircuitStates.Circuit&gt; circuits = circuitStates.of("catalog");
 * circuits.get("target").state();   // "CLOSED", "OPEN", "HALF_OPEN", ...
 * </pre>
 */
public final class CircuitStates {

	private final CircuitBreakerRegistry registry;

	CircuitStates(CircuitBreakerRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The circuits of a route, by backend ({@code target}, {@code legacy}); a backend
	 * that was never called has none yet.
	 * @param routeId the route
	 * @return its circuits
	 */
	public Map<String, Circuit> of(String routeId) {
		Map<String, Circuit> circuits = new LinkedHashMap<>();
		for (Backend backend : Backend.values()) {
			// find(), not circuitBreaker(): looking must not create a breaker.
			this.registry.find(RouteResilience.name(routeId, backend))
				.ifPresent((breaker) -> circuits.put(backend.value(), Circuit.of(breaker)));
		}
		return circuits;
	}

	@Override
	public String toString() {
		return "CircuitStates[" + this.registry + "]";
	}

	/**
	 * One circuit breaker as the admin API shows it.
	 *
	 * @param name the breaker's name, {@code <route>-<backend>}
	 * @param state {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...
	 * @param failureRate failure percentage over the sliding window, {@code -1} until
	 * enough calls were made
	 * @param slowCallRate slow-call percentage, {@code -1} likewise
	 * @param bufferedCalls calls in the sliding window
	 * @param failedCalls failed calls in the sliding window
	 * @param slowCalls slow calls in the sliding window
	 * @param notPermittedCalls calls refused while open
	 */
	public record Circuit(String name, String state, float failureRate, float slowCallRate, int bufferedCalls,
			int failedCalls, int slowCalls, long notPermittedCalls) {

		static Circuit of(CircuitBreaker breaker) {
			CircuitBreaker.Metrics metrics = breaker.getMetrics();
			return new Circuit(breaker.getName(), breaker.getState().name(), metrics.getFailureRate(),
					metrics.getSlowCallRate(), metrics.getNumberOfBufferedCalls(), metrics.getNumberOfFailedCalls(),
					metrics.getNumberOfSlowCalls(), metrics.getNumberOfNotPermittedCalls());
		}

	}

}
