package dev.strangler.gateway.observe;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.routing.RoutingDecision;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;

import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Adds route id, stage and backend ({@code strangler.route}, {@code strangler.stage},
 * {@code strangler.backend}) to the gateway's server span and to the span of the call to
 * the backend. They are high-cardinality key values: span attributes only, never tags of
 * {@code http.server.requests} (route ids come and go with reloads).
 */
final class RouteObservationFilter implements ObservationFilter {

	static final String ROUTE = "strangler.route";

	static final String STAGE = "strangler.stage";

	static final String BACKEND = "strangler.backend";

	@Override
	public Observation.Context map(Observation.Context context) {
		// Only exchanges the gateway routed: management-port requests have no route.
		// A cache hit the front served never reached the gateway's routing, but carries
		// the decision it was served by.
		if (context instanceof ServerRequestObservationContext server
				&& (server.getAttributes().containsKey(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR)
						|| server.getAttributes().containsKey(RoutingDecision.ATTRIBUTE))) {
			return withDecision(context, (RoutingDecision) server.getAttributes().get(RoutingDecision.ATTRIBUTE));
		}
		if (context instanceof GatewayContext gateway && gateway.getServerWebExchange() != null) {
			return withDecision(context, RoutingDecision.of(gateway.getServerWebExchange()));
		}
		return context;
	}

	private static Observation.Context withDecision(Observation.Context context, RoutingDecision decision) {
		if (decision == null) {
			return context.addHighCardinalityKeyValue(KeyValue.of(ROUTE, RequestOutcome.UNROUTED))
				.addHighCardinalityKeyValue(KeyValue.of(BACKEND, Backend.LEGACY.value()));
		}
		return context.addHighCardinalityKeyValue(KeyValue.of(ROUTE, decision.route().id()))
			.addHighCardinalityKeyValue(KeyValue.of(STAGE, decision.route().stage().value()))
			.addHighCardinalityKeyValue(KeyValue.of(BACKEND, decision.backend().value()));
	}

	@Override
	public String toString() {
		return "RouteObservationFilter[" + ROUTE + ", " + STAGE + ", " + BACKEND + "]";
	}

}
