package dev.strangler.gateway.observe;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.cloud.gateway.filter.headers.observation.GatewayObservationConvention;
import org.springframework.cloud.gateway.filter.headers.observation.ObservedRequestHttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Cloud Gateway's client observation of the call to the backend
 * ({@code http.client.requests} and its client span), for requests whose trace is sampled
 * only. For the others (90 % at the default 10 % sampling) the client span would never be
 * exported, and Spring Cloud Gateway's filter would still copy every header, create an
 * observation context and a no-op observation, and put two exchange attributes (about 1 %
 * of the legacy stage's CPU samples; the sampled requests' real client observations cost
 * 2 to 2.5 % more); {@link UnsampledTraceparent} passes their trace context on to the
 * backend instead.
 * <p>
 * So {@code http.client.requests} counts sampled calls only; {@code strangler.requests}
 * counts every request. Without tracing every call is observed, as before. Spring Cloud
 * Gateway's response-side filter ends the observation when there is one and does nothing
 * otherwise.
 */
final class SampledClientObservationFilter extends ObservedRequestHttpHeadersFilter {

	SampledClientObservationFilter(ObservationRegistry registry, @Nullable GatewayObservationConvention convention) {
		super(registry, convention);
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		if (!SampledRequests.sampled(exchange)) {
			return input;
		}
		return super.filter(input, exchange);
	}

	@Override
	public String toString() {
		return "SampledClientObservationFilter[http.client.requests of the gateway: sampled requests only]";
	}

}
