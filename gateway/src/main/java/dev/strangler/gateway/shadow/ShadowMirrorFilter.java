package dev.strangler.gateway.shadow;

import dev.strangler.gateway.headers.ForwardedRequestHeaders;
import dev.strangler.gateway.observe.RequestTrace;
import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.routing.RoutingDecision;
import dev.strangler.gateway.shadow.Mirror.MirrorServices;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Decides whether a request is mirrored to its route's target and, if so, admits its
 * {@link Mirror}: requests of routes in stage {@code shadow}, and the legacy-served ones
 * of routes in stage {@code canary}, whose method is in {@code shadow.methods}, sampled
 * at {@code shadow.percent}, with a body of at most {@code strangler.shadow.max-body},
 * while fewer than {@code strangler.shadow.max-in-flight} mirrors exist. The client's
 * request itself always continues unchanged, at once: this filter only takes a slot and
 * leaves a note on the exchange; the mirror is sent once legacy has answered.
 */
final class ShadowMirrorFilter implements GlobalFilter, Ordered {

	/**
	 * After the backend is chosen ({@code ROUTE_TO_URL_FILTER_ORDER + 1}) and after the
	 * response cache ({@code + 2}): a request the cache answers never reaches legacy, so
	 * there is nothing to compare.
	 */
	static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 3;

	private final MirrorServices services;

	private final ShadowSampler sampler;

	private final ShadowReports reports;

	/**
	 * Creates the filter.
	 * @param services what every mirror shares
	 * @param sampler picks the sampled requests
	 * @param reports where drops and skips are counted
	 */
	ShadowMirrorFilter(MirrorServices services, ShadowSampler sampler, ShadowReports reports) {
		this.services = services;
		this.sampler = sampler;
		this.reports = reports;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RoutingDecision decision = RoutingDecision.of(exchange);
		ServerHttpRequest request = exchange.getRequest();
		if (decision == null || !mirrors(decision, request.getMethod()) || !LegacyResponseTap.isOn(exchange)
				|| !this.sampler.sample(decision.route().shadow().percent())) {
			return chain.filter(exchange);
		}
		Route route = decision.route();
		if (request.getHeaders().getContentLength() > this.services.maxBody()) {
			this.reports.skipped(route.id());
			return chain.filter(exchange);
		}
		return Mono.deferContextual((reactorContext) -> {
			if (!this.services.limiter().tryAcquire()) {
				this.reports.dropped(route.id());
				return chain.filter(exchange);
			}
			Observation parent = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Mirror mirror = new Mirror(route, request, ForwardedRequestHeaders.decided(exchange), parent,
					RequestTrace.of(exchange.getAttributes()), this.services);
			exchange.getAttributes().put(Mirror.ATTRIBUTE, mirror);
			if (!hasBody(request.getHeaders())) {
				mirror.requestBody(null);
				return chain.filter(exchange);
			}
			return chain.filter(exchange.mutate().request(new MirroredRequestBody(request, mirror)).build());
		});
	}

	/**
	 * Stages {@code shadow} and {@code canary} mirror what legacy serves: the target's
	 * own answers (a canary share, or a tester forcing the target) need no comparison
	 * with themselves. Listed methods only.
	 */
	static boolean mirrors(RoutingDecision decision, HttpMethod method) {
		Route route = decision.route();
		return mirrors(route) && decision.backend() == Backend.LEGACY && route.shadow().methods().contains(method);
	}

	/**
	 * Whether a route mirrors anything at all in its stage.
	 * @param route the route
	 * @return {@code true} for stages {@code shadow} and {@code canary} with a target
	 */
	static boolean mirrors(Route route) {
		return (route.stage() == Stage.SHADOW || route.stage() == Stage.CANARY) && route.target() != null;
	}

	private static boolean hasBody(HttpHeaders headers) {
		return headers.getContentLength() > 0 || headers.containsKey(HttpHeaders.TRANSFER_ENCODING);
	}

	@Override
	public String toString() {
		return "ShadowMirrorFilter[order=" + ORDER + ", limiter=" + this.services.limiter() + ", sampler="
				+ this.sampler + ", secondLook=" + this.services.secondLook() + "]";
	}

}
