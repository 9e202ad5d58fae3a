package dev.strangler.gateway.front;

import dev.strangler.gateway.cache.FreshHits;
import dev.strangler.gateway.observe.FrontReporter;
import dev.strangler.gateway.record.RecordedRoutes;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.routing.RequestRouter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The front of the traffic port: cache hits answered before the WebFlux filter chain
 * ({@code docs/caching.md}, "The fast path"). Only with a management port of its own:
 * when management shares the traffic port, Spring Security's strict firewall and the
 * actuator's paths apply to every request, and those requests must meet them.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(FrontConfiguration.SeparateManagementPort.class)
class FrontConfiguration {

	@Bean
	TrafficPort trafficPort() {
		return new TrafficPort();
	}

	@Bean
	CacheHitFront cacheHitFront(RouteTableHolder routes, RequestRouter router, FreshHits hits, FrontReporter reporter,
			RecordedRoutes recorded, TrafficPort port) {
		return new CacheHitFront(new CacheHitHandler.Parts(routes, router, hits, reporter, recorded, port));
	}

	/** Matches when the management server listens on a port of its own. */
	static final class SeparateManagementPort implements Condition {

		private static final Log logger = LogFactory.getLog(FrontConfiguration.class);

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			boolean separate = ManagementPortType.get(context.getEnvironment()) == ManagementPortType.DIFFERENT;
			if (!separate) {
				logger.info("Cache hits go through the filter chain: the management server shares the traffic port");
			}
			return separate;
		}

	}

}
