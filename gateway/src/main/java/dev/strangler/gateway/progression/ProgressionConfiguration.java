package dev.strangler.gateway.progression;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.evidence.ClusterEvidence;
import dev.strangler.gateway.resilience.CircuitStates;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.OverrideStore;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The progression controller, with either state store: with the file store its single
 * instance decides; with the Redis store the holder of the decision lease does, and the
 * states live in Redis ({@code progression.redis.RedisProgressionConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
class ProgressionConfiguration {

	// Decisions are due once per route interval (seconds to minutes); a tick a second
	// finds them late by under a second and costs a map lookup per route.
	static final Duration TICK = Duration.ofSeconds(1);

	@Bean(destroyMethod = "close")
	ProgressionController progressionController(RouteTableHolder routes, OverrideStore overrides, AuditLog audit,
			ProgressionStore store, DecisionLease lease, ClusterEvidence evidence,
			ObjectProvider<CircuitStates> circuits, MeterRegistry registry, ObjectProvider<Clock> clock) {
		CircuitStates states = circuits.getIfAvailable();
		Predicate<String> targetOpen = (routeId) -> {
			CircuitStates.Circuit target = (states != null) ? states.of(routeId).get("target") : null;
			return target != null && !"CLOSED".equals(target.state());
		};
		return new ProgressionController(routes, overrides, audit, store, lease, evidence, targetOpen,
				new ProgressionMetrics(registry), clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	ProgressionLifecycle progressionLifecycle(ProgressionController controller, ApplicationContext context) {
		return new ProgressionLifecycle(controller, TICK, context);
	}

	@Bean
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "file", matchIfMissing = true)
	FileProgressionStore fileProgressionStore(StranglerProperties properties) {
		return new FileProgressionStore(properties.state().dir());
	}

	/** The file store has one instance: it always decides. */
	@Bean
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "file", matchIfMissing = true)
	DecisionLease singleInstanceLease() {
		return DecisionLease.ALWAYS;
	}

}
