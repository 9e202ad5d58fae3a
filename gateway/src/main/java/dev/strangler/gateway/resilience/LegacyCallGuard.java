package dev.strangler.gateway.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;

/**
 * The opt-in guard around a route's calls to legacy ({@code resilience.legacy} in its
 * route file), named {@code <route>-legacy}. No time limiter: Spring Cloud Gateway's
 * response timeout is the one timeout of every legacy call, guarded or not.
 *
 * @param circuitBreaker records failures (5xx answers, broken connections, timeouts) and
 * slow calls, opens on too many
 * @param bulkhead caps concurrent calls
 */
record LegacyCallGuard(CircuitBreaker circuitBreaker, Bulkhead bulkhead) {

	/**
	 * Protects one call to legacy.
	 * @param <T> the call's result, the legacy status when there is one
	 * @param call the call
	 * @return the protected call
	 */
	<T> Mono<T> protect(Mono<T> call) {
		return call.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			.transformDeferred(BulkheadOperator.of(this.bulkhead));
	}

}
