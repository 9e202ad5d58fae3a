package dev.strangler.gateway.routing;

import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.rollout.BackendSelector;
import dev.strangler.gateway.route.RouteTableHolder;

import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
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

	@Bean
	RouteLocator stranglerRouteLocator(RouteLocatorBuilder builder, StranglerProperties properties) {
		return builder.routes().route(ROUTE_ID, (route) -> route.alwaysTrue().uri(properties.legacy().uri())).build();
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
	BackendRoutingFilter backendRoutingFilter(RouteTableHolder routes, RequestRouter router,
			StranglerProperties properties) {
		return new BackendRoutingFilter(routes, router, properties.legacy().uri());
	}

	@Bean
	RequestRouter requestRouter(RouteTableHolder routes, BackendSelector selector) {
		return new RequestRouter(routes, selector);
	}

}
