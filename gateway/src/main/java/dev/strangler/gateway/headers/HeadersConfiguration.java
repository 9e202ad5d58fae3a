package dev.strangler.gateway.headers;

import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.rollout.TrustedProxies;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's own headers: internal ones stripped from requests (a tester's forced
 * backend honoured first when enabled), route and backend reported on responses
 * ({@code strangler.expose-headers}, default on), forwarding headers written as a reverse
 * proxy writes them.
 */
@Configuration(proxyBeanMethods = false)
class HeadersConfiguration {

	@Bean
	InternalRequestHeadersFilter internalRequestHeadersFilter(StranglerProperties properties) {
		StranglerProperties.ForceBackend force = properties.testing().forceBackend();
		return new InternalRequestHeadersFilter(
				force.enabled() ? BackendForcing.enabled(force.token()) : BackendForcing.disabled());
	}

	@Bean
	RouteResponseHeadersFilter routeResponseHeadersFilter(StranglerProperties properties) {
		return new RouteResponseHeadersFilter(properties.exposeHeaders());
	}

	@Bean
	ForwardingHeaders forwardingHeaders(TrustedProxies trustedProxies, ForwardingProperties properties) {
		return new ForwardingHeaders(trustedProxies, properties.forwardedHeader());
	}

	@Bean
	ForwardingHeadersFilter forwardingHeadersFilter(ForwardingHeaders forwardingHeaders) {
		return new ForwardingHeadersFilter(forwardingHeaders);
	}

	@Bean
	PassThroughHeaders passThroughHeaders(ForwardingHeaders forwardingHeaders, RemoveHopByHopHeadersFilter hopByHop,
			StranglerProperties properties) {
		return new PassThroughHeaders(forwardingHeaders, hopByHop, properties.exposeHeaders());
	}

	@Bean
	ForwardingHeadersKeeper forwardingHeadersKeeper() {
		return new ForwardingHeadersKeeper();
	}

	/** Static: a bean post-processor must not wait for this configuration's instance. */
	@Bean
	static GrpcOnlyRequestHeadersFilter.Replacement grpcOnlyRequestHeadersFilter() {
		return new GrpcOnlyRequestHeadersFilter.Replacement();
	}

	/** Static: a bean post-processor must not wait for this configuration's instance. */
	@Bean
	static SinglePassHopByHopHeadersFilter.Replacement singlePassHopByHopHeadersFilter() {
		return new SinglePassHopByHopHeadersFilter.Replacement();
	}

	/**
	 * Static: a registry post-processor must not wait for this configuration's instance.
	 */
	@Bean
	static DuplicateForwardingRemovers duplicateForwardingRemovers() {
		return new DuplicateForwardingRemovers();
	}

}
