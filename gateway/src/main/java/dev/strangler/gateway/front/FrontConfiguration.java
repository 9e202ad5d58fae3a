package dev.strangler.gateway.front;

import dev.strangler.gateway.cache.FreshHits;
import dev.strangler.gateway.headers.PassThroughHeaders;
import dev.strangler.gateway.observe.FrontReporter;
import dev.strangler.gateway.problem.GatewayProblems;
import dev.strangler.gateway.record.RecordedRoutes;
import dev.strangler.gateway.resilience.FrontTargetCalls;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.routing.BackendResponseTimeout;
import dev.strangler.gateway.routing.BackendUrls;
import dev.strangler.gateway.routing.RequestRouter;
import dev.strangler.gateway.shadow.FrontMirrors;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The front of the traffic port: cache hits answered before the WebFlux filter chain
 * ({@code docs/caching.md}, "The fast path"), and requests that only need forwarding to
 * legacy forwarded before it ({@code docs/routes.md}). Only with a management port of its
 * own: when management shares the traffic port, Spring Security's strict firewall and the
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

	@Bean
	PassThroughFront passThroughFront(RequestRouter router, BackendUrls urls, PassThroughHeaders headers,
			HttpClient client, HttpClientProperties clientProperties, FrontReporter reporter, GatewayProblems problems,
			RecordedRoutes recorded, FrontMirrors mirrors, FrontTargetCalls targets, TrafficPort port) {
		Integer connectTimeout = clientProperties.getConnectTimeout();
		// Spring Cloud Gateway sets the connect timeout per call as this same option,
		// so the front's calls and the chain's share one connection pool
		HttpClient configured = (connectTimeout != null)
				? client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout) : client;
		return new PassThroughFront(new PassThroughHandler.Parts(router, urls, headers, configured,
				BackendResponseTimeout.of(clientProperties.getResponseTimeout()), reporter, problems, recorded, mirrors,
				targets, port));
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
