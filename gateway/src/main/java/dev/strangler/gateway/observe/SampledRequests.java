package dev.strangler.gateway.observe;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;

import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads the trace decision of a request from its server observation: whether its span is
 * sampled, and the span itself.
 */
final class SampledRequests {

	private SampledRequests() {
	}

	/**
	 * The request's server span.
	 * @param exchange the exchange
	 * @return the span, or {@code null} when tracing is off
	 */
	@Nullable
	static Span serverSpan(ServerWebExchange exchange) {
		ServerRequestObservationContext server = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
			.orElse(null);
		return (server != null) ? serverSpan(server) : null;
	}

	/**
	 * The span of an observation (the server's, or any other).
	 * @param observation the observation's context
	 * @return the span, or {@code null} when tracing is off
	 */
	@Nullable
	static Span serverSpan(Observation.Context observation) {
		TracingObservationHandler.TracingContext tracing = observation
			.get(TracingObservationHandler.TracingContext.class);
		return (tracing != null) ? tracing.getSpan() : null;
	}

	/**
	 * Whether a request's trace is sampled.
	 * @param exchange the exchange
	 * @return {@code false} for a request known not to be sampled: one without a server
	 * observation ({@link RequestTrace}) or with an unsampled span
	 */
	static boolean sampled(ServerWebExchange exchange) {
		return RequestTrace.of(exchange.getAttributes()) == null && sampled(serverSpan(exchange));
	}

	/**
	 * Whether a span records: {@code false} only for a span known not to be sampled.
	 * @param span the span, may be {@code null}
	 * @return {@code true} when sampled, or when nothing is known
	 */
	static boolean sampled(@Nullable Span span) {
		return span == null || !Boolean.FALSE.equals(span.context().sampled());
	}

}
