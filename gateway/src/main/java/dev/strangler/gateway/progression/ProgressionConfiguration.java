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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The progression controller, with the file store only: with the shared Redis store
 * several instances would each decide, and the lease that lets one of them do so is not
 * built yet, so there {@code progression} blocks are validated but not acted on (a
 * warning says so at start-up).
 */
@Configuration(proxyBeanMethods = false)
class ProgressionConfiguration {

	// Decisions are due once per route interval (seconds to minutes); a tick a second
	// finds them late by under a second and costs a map lookup per route.
	static final Duration TICK = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(ProgressionConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "file", matchIfMissing = true)
	ProgressionController progressionController(RouteTableHolder routes, OverrideStore overrides, AuditLog audit,
			StranglerProperties properties, ClusterEvidence evidence, ObjectProvider<CircuitStates> circuits,
			MeterRegistry registry, ObjectProvider<Clock> clock) {
		CircuitStates states = circuits.getIfAvailable();
		Predicate<String> targetOpen = (routeId) -> {
			CircuitStates.Circuit target = (states != null) ? states.of(routeId).get("target") : null;
			return target != null && !"CLOSED".equals(target.state());
		};
		ProgressionController controller = new ProgressionController(routes, overrides, audit,
				new FileProgressionStore(properties.state().dir()), evidence, targetOpen,
				new ProgressionMetrics(registry), clock.getIfAvailable(Clock::systemUTC));
		controller.start(TICK);
		return controller;
	}

	@Bean
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "redis")
	Object progressionInactiveWithRedis() {
		logger.warn("strangler.state.store is redis: progression blocks in route files are validated but not acted "
				+ "on (a decision lease shared by the instances is not built yet); move those routes by hand");
		return new Object();
	}

}
