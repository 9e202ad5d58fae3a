package dev.strangler.gateway.shadow;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.routing.RoutingDecision;
import dev.strangler.gateway.shadow.Mirror.MirrorContext;
import dev.strangler.gateway.shadow.Mirror.MirrorServices;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Decides whether a request is mirrored to its route's target and, if so, starts its
 * {@link Mirror}: requests of routes in stage {@code shadow}, and the legacy-served ones
 * of routes in stage {@code canary}, whose method is in {@code shadow.methods}, sampled
 * at {@code shadow.percent}, with a body of at most {@code strangler.shadow.max-body},
 * while fewer than {@code strangler.shadow.max-in-flight} mirrors are in flight. The
 * client's request itself always continues unchanged, at once.
 */
final class ShadowMirrorFilter implements GlobalFilter, Ordered {

	/**
	 * After the backend is chosen ({@code ROUTE_TO_URL_FILTER_ORDER + 1}) and after the
	 * response cache ({@code + 2}): a request the cache answers never reaches legacy, so
	 * there is nothing to compare.
	 */
	static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 3;

	private static final byte[] NO_BODY = new byte[0];

	private final MirrorServices services;

	private final ShadowSampler sampler;

	private final ShadowReports reports;

	@Nullable
	private final Percent noiseSample;

	/**
	 * Creates the filter.
	 * @param services what every mirror shares
	 * @param sampler picks the sampled requests
	 * @param reports where drops and skips are counted
	 * @param noiseSample share of mirrored GETs for which legacy is asked twice;
	 * {@code null} when noise detection is off
	 */
	ShadowMirrorFilter(MirrorServices services, ShadowSampler sampler, ShadowReports reports,
			@Nullable Percent noiseSample) {
		this.services = services;
		this.sampler = sampler;
		this.reports = reports;
		this.noiseSample = noiseSample;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RoutingDecision decision = RoutingDecision.of(exchange);
		ServerHttpRequest request = exchange.getRequest();
		if (decision == null || !mirrors(decision, request.getMethod())
				|| !this.sampler.sample(decision.route().shadow().percent())) {
			return chain.filter(exchange);
		}
		Route route = decision.route();
		if (request.getHeaders().getContentLength() > this.services.maxBody()) {
			this.reports.skipped(route.id());
			return chain.filter(exchange);
		}
		return Mono.deferContextual((reactorContext) -> {
			Observation parent = reactorContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			MirrorContext context = new MirrorContext(route, MirrorRequest.of(request), pathKey(route, request), parent,
					traceId(parent));
			if (!this.services.limiter().tryAcquire()) {
				this.reports.dropped(route.id());
				return chain.filter(exchange);
			}
			Mirror mirror = new Mirror(context, this.services, askLegacyAgain(request));
			exchange.getAttributes().put(Mirror.ATTRIBUTE, mirror);
			mirror.start();
			if (!hasBody(request.getHeaders())) {
				mirror.requestBody(NO_BODY);
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
		boolean stage = route.stage() == Stage.SHADOW || route.stage() == Stage.CANARY;
		return stage && decision.backend() == Backend.LEGACY && route.target() != null
				&& route.shadow().methods().contains(method);
	}

	/**
	 * The extra permit is taken only if free: noise detection must never cause a drop.
	 */
	private boolean askLegacyAgain(ServerHttpRequest request) {
		return this.noiseSample != null && HttpMethod.GET.equals(request.getMethod())
				&& this.sampler.sample(this.noiseSample) && this.services.limiter().tryAcquire();
	}

	private static boolean hasBody(HttpHeaders headers) {
		return headers.getContentLength() > 0 || headers.containsKey(HttpHeaders.TRANSFER_ENCODING);
	}

	/**
	 * Noise is learned per route pattern, so that {@code /products/1} teaches
	 * {@code /products/2}.
	 */
	private static String pathKey(Route route, ServerHttpRequest request) {
		return route.match()
			.mostSpecificMatch(request.getPath().pathWithinApplication())
			.map((pattern) -> pattern.getPatternString())
			.orElse(request.getPath().value());
	}

	private static String traceId(@Nullable Observation observation) {
		if (observation == null) {
			return "";
		}
		TracingContext tracing = observation.getContext().get(TracingContext.class);
		Span span = (tracing != null) ? tracing.getSpan() : null;
		return (span != null) ? span.context().traceId() : "";
	}

	@Override
	public String toString() {
		return "ShadowMirrorFilter[order=" + ORDER + ", limiter=" + this.services.limiter() + ", sampler="
				+ this.sampler + ", noiseSample=" + this.noiseSample + "]";
	}

}
