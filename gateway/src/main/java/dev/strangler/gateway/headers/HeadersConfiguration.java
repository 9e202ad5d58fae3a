package dev.strangler.gateway.headers;

import dev.strangler.gateway.config.StranglerProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's own headers: internal ones stripped from requests, route and backend
 * reported on responses ({@code strangler.expose-headers}, default on).
 */
@Configuration(proxyBeanMethods = false)
class HeadersConfiguration {

	@Bean
	InternalRequestHeadersFilter internalRequestHeadersFilter() {
		return new InternalRequestHeadersFilter();
	}

	@Bean
	RouteResponseHeadersFilter routeResponseHeadersFilter(StranglerProperties properties) {
		return new RouteResponseHeadersFilter(properties.exposeHeaders());
	}

}
