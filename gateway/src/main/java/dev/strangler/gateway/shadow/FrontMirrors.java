package dev.strangler.gateway.shadow;

import java.util.List;

import dev.strangler.gateway.observe.RequestTrace;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.routing.RoutingDecision;
import dev.strangler.gateway.shadow.Mirror.MirrorServices;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;

/**
 * Admits the {@link Mirror} of a request the front forwards to legacy itself, before the
 * filter chain: a request of a route in stage {@code shadow}, or a legacy-served one of a
 * route in stage {@code canary}, without a body. The same rules as the chain's
 * {@link ShadowMirrorFilter} (the route's {@code shadow.methods} and
 * {@code shadow.percent}, the {@code strangler.shadow.max-in-flight} slots, a dropped
 * mirror counted), the same mirror: it is sent once legacy has answered the client, on
 * the shadow path's own event loops, and judged on the comparison threads.
 *
 * <pre>{@code
 * FrontMirror mirror = mirrors.admit(decision, request, forwarding, trace); // null: not mirrored
 * }</pre>
 */
public final class FrontMirrors {

	private final MirrorServices services;

	private final ShadowSampler sampler;

	private final ShadowReports reports;

	private final List<MediaType> streaming;

	/**
	 * Creates the front's admission.
	 * @param services what every mirror shares, the chain's mirrors too
	 * @param sampler picks the sampled requests
	 * @param reports where drops are counted
	 * @param streaming the media types relayed as a stream (Spring Cloud Gateway's
	 * {@code streaming-media-types}): such an answer has no end to compare at
	 */
	FrontMirrors(MirrorServices services, ShadowSampler sampler, ShadowReports reports, List<MediaType> streaming) {
		this.services = services;
		this.sampler = sampler;
		this.reports = reports;
		this.streaming = List.copyOf(streaming);
	}

	/**
	 * Admits the mirror of a request without a body that legacy serves, if its route
	 * mirrors it and it is sampled and a slot is free.
	 * @param decision the route and backend of the request
	 * @param request the client's request
	 * @param forwarding the forwarding headers legacy gets for it, sent to the target too
	 * @param trace the request's trace (it is not sampled), {@code null} if it has none
	 * @return the mirror, which the caller must end ({@link FrontMirror#exchangeEnded});
	 * {@code null} when the request is not mirrored
	 */
	@Nullable
	public FrontMirror admit(RoutingDecision decision, ServerHttpRequest request, @Nullable HttpHeaders forwarding,
			@Nullable RequestTrace trace) {
		Route route = decision.route();
		if (!ShadowMirrorFilter.mirrors(decision, request.getMethod())
				|| !this.sampler.sample(route.shadow().percent())) {
			return null;
		}
		if (!this.services.limiter().tryAcquire()) {
			this.reports.dropped(route.id());
			return null;
		}
		Mirror mirror = new Mirror(route, request, forwarding, null, trace, this.services);
		mirror.requestBody(null);
		return new FrontMirror(mirror, this.streaming);
	}

	@Override
	public String toString() {
		return "FrontMirrors[limiter=" + this.services.limiter() + ", sampler=" + this.sampler + "]";
	}

}
