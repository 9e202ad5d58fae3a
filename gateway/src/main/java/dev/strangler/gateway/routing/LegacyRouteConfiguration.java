package dev.strangler.gateway.routing;

import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.rollout.BackendSelector;
import dev.strangler.gateway.route.RouteTableHolder;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The single Spring Cloud Gateway route: everything goes to legacy, and
 * {@link BackendRoutingFilter} moves the requests that strangler routes claim.
 */
@Configuration(proxyBeanMethods = false)
class LegacyRouteConfiguration {

	/** Id of the catch-all Spring Cloud Gateway route. */
	static final String ROUTE_ID = "strangler-legacy";

	/** {@code response-timeout} metadata below zero: NettyRoutingFilter sets none. */
	private static final long NO_RESPONSE_TIMEOUT = -1;

	@Bean
	RouteLocator stranglerRouteLocator(RouteLocatorBuilder builder, StranglerProperties properties) {
		// Spring Cloud Gateway's response timeout is off for the route: its calls have
		// the
		// gateway's (BackendResponseDeadline), which costs less per call.
		return builder.routes()
			.route(ROUTE_ID,
					(route) -> route.alwaysTrue()
						.metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, NO_RESPONSE_TIMEOUT)
						.uri(properties.legacy().uri()))
			.build();
	}

	/**
	 * Spring Cloud Gateway's handler mapping (it backs off from this bean, same name),
	 * with a route lookup that does not clear a 256-slot buffer per request.
	 */
	@Bean
	RoutePredicateHandlerMapping routePredicateHandlerMapping(FilteringWebHandler webHandler, RouteLocator routeLocator,
			GlobalCorsProperties globalCorsProperties, Environment environment) {
		return new SmallBufferRouteLookup(webHandler, routeLocator, globalCorsProperties, environment);
	}

	@Bean
	BackendRoutingFilter backendRoutingFilter(RouteTableHolder routes, RequestRouter router, BackendUrls urls,
			HttpClientProperties httpClient) {
		return new BackendRoutingFilter(routes, router, urls,
				BackendResponseTimeout.of(httpClient.getResponseTimeout()));
	}

	@Bean
	BackendUrls backendUrls(RouteTableHolder routes, StranglerProperties properties) {
		return new BackendUrls(routes, properties.legacy().uri());
	}

	@Bean
	RequestRouter requestRouter(RouteTableHolder routes, BackendSelector selector) {
		return new RequestRouter(routes, selector);
	}

}
