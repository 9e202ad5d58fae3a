package dev.strangler.gateway.resilience;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.state.OverrideStore;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Per-route resilience: Resilience4j instances from resilience4j-spring-boot3's
 * registries, the filter that protects calls and falls back to legacy (and the same
 * protection for the front's target calls), and the automatic rollback of canary routes.
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfiguration {

	@Bean
	AutomaticRollback automaticRollback(RouteTableHolder routes, OverrideStore store, MeterRegistry meters) {
		return new AutomaticRollback(routes, store, meters, (task) -> Schedulers.boundedElastic().schedule(task));
	}

	@Bean
	RouteResilience routeResilience(CircuitBreakerRegistry circuitBreakers, TimeLimiterRegistry timeLimiters,
			RetryRegistry retries, BulkheadRegistry bulkheads, AutomaticRollback rollback) {
		return new RouteResilience(circuitBreakers, timeLimiters, retries, bulkheads, rollback::follow);
	}

	@Bean
	ResilienceFilter resilienceFilter(RouteResilience resilience, ResilienceProperties properties,
			StranglerProperties strangler, MeterRegistry meters, BodyBudget bodyBudget) {
		return new ResilienceFilter(resilience, properties.maxBufferedBody().toBytes(), strangler.exposeHeaders(),
				meters, bodyBudget);
	}

	@Bean
	FrontTargetCalls frontTargetCalls(RouteResilience resilience, ResilienceProperties properties,
			StranglerProperties strangler, MeterRegistry meters, BodyBudget bodyBudget) {
		return new FrontTargetCalls(resilience, properties.maxBufferedBody().toBytes(), strangler.exposeHeaders(),
				meters, bodyBudget);
	}

	@Bean
	CircuitStates circuitStates(CircuitBreakerRegistry circuitBreakers) {
		return new CircuitStates(circuitBreakers);
	}

}
