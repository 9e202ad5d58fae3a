package dev.strangler.gateway.observe;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;

/**
 * Lets Spring Cloud Gateway observe its call to the backend ({@code http.client.requests}
 * and its client span) only for requests whose trace is sampled. For the others (90 % at
 * the default 10 % sampling) the client span would never be exported, yet would cost a
 * span, its attributes and a timer per request; {@link UnsampledTraceparent} still passes
 * their trace context on to the backend.
 * <p>
 * So {@code http.client.requests} counts sampled calls only; {@code strangler.requests}
 * counts every request. Without tracing every call is observed, as before.
 */
final class SampledClientObservation implements ObservationPredicate {

	@Override
	public boolean test(String name, Observation.Context context) {
		if (context instanceof GatewayContext gateway && gateway.getServerWebExchange() != null) {
			return SampledRequests.sampled(SampledRequests.serverSpan(gateway.getServerWebExchange()));
		}
		return true;
	}

	@Override
	public String toString() {
		return "SampledClientObservation[http.client.requests of the gateway: sampled requests only]";
	}

}
