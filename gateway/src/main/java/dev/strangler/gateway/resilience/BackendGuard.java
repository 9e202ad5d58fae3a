package dev.strangler.gateway.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import reactor.core.publisher.Mono;

/**
 * The Resilience4j instances protecting one backend of one route, all named
 * {@code <route>-<backend>}.
 *
 * @param circuitBreaker records failures and slow calls, opens on too many
 * @param timeLimiter bounds the wait for the response headers
 * @param bulkhead caps concurrent calls
 * @param retry re-runs idempotent calls; at most one attempt when the route allows no
 * retries
 */
record BackendGuard(CircuitBreaker circuitBreaker, TimeLimiter timeLimiter, Bulkhead bulkhead, Retry retry) {

	/**
	 * Protects one call: the time limit applies to each attempt, the circuit breaker
	 * records each attempt, the bulkhead admits each attempt, the retry (when asked)
	 * wraps them all.
	 * @param <T> the call's result
	 * @param call the call
	 * @param retried whether this call may be retried
	 * @return the protected call
	 */
	<T> Mono<T> protect(Mono<T> call, boolean retried) {
		Mono<T> guarded = call.transformDeferred(TimeLimiterOperator.of(this.timeLimiter))
			.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker))
			.transformDeferred(BulkheadOperator.of(this.bulkhead));
		return retried ? guarded.transformDeferred(RetryOperator.of(this.retry)) : guarded;
	}

}
