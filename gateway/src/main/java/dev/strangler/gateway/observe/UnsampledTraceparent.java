package dev.strangler.gateway.observe;

import java.util.Set;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Propagates the trace context ({@code traceparent}, W3C) to the backend for requests
 * whose trace is not sampled, which have no client observation
 * ({@link SampledClientObservationFilter}) to do it: the backend joins the same trace,
 * marked not sampled, instead of starting one of its own. Sampled requests are left to
 * the client observation's own propagation.
 *
 * <p>
 * With W3C propagation and no remote baggage fields (the defaults) the header is written
 * directly: it is all the propagator would add, since {@code tracestate} and
 * {@code baggage} reach the backend as the client sent them. Through the propagator it
 * cost about 2.5 % of the legacy stage's CPU samples, mostly the baggage propagator
 * collecting the (empty) baggage of every request (docs/benchmarks.md, "Where the time
 * goes"). Any other propagation (B3, remote fields) still goes through the propagator.
 */
final class UnsampledTraceparent implements HttpHeadersFilter, Ordered {

	static final String TRACEPARENT = "traceparent";

	/** What Spring Boot's W3C propagation writes when no remote baggage field is set. */
	private static final Set<String> W3C_FIELDS = Set.of(TRACEPARENT, "tracestate", "baggage");

	private final Propagator propagator;

	private final boolean w3cOnly;

	UnsampledTraceparent(Propagator propagator) {
		this.propagator = propagator;
		this.w3cOnly = propagator.fields().contains(TRACEPARENT) && W3C_FIELDS.containsAll(propagator.fields());
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		RequestTrace unsampled = RequestTrace.of(exchange.getAttributes());
		if (unsampled != null) {
			return this.w3cOnly ? inject(input, TRACEPARENT, traceparent(unsampled.traceId(), unsampled.spanId()))
					: propagate(input, unsampled.context());
		}
		Span span = SampledRequests.serverSpan(exchange);
		if (span == null || SampledRequests.sampled(span)) {
			return input;
		}
		if (this.w3cOnly) {
			return inject(input, TRACEPARENT, traceparent(span.context().traceId(), span.context().spanId()));
		}
		return propagate(input, span.context());
	}

	/**
	 * Writes the trace context of an unsampled request into the headers of its call to a
	 * backend, as {@link #filter} does for the filter chain's calls.
	 * @param trace the request's unsampled trace
	 * @param headers the call's headers, written into
	 */
	void inject(RequestTrace trace, io.netty.handler.codec.http.HttpHeaders headers) {
		if (this.w3cOnly) {
			headers.set(TRACEPARENT, traceparent(trace.traceId(), trace.spanId()));
		}
		else {
			this.propagator.inject(trace.context(), headers, io.netty.handler.codec.http.HttpHeaders::set);
		}
	}

	private HttpHeaders propagate(HttpHeaders input, TraceContext context) {
		// The filters before this one (forwarded headers, hop-by-hop removal) hand over
		// a copy of their own; the request's headers themselves are read-only.
		HttpHeaders headers = input;
		try {
			this.propagator.inject(context, headers, HttpHeaders::set);
		}
		catch (UnsupportedOperationException readOnly) {
			headers = new HttpHeaders();
			headers.putAll(input);
			this.propagator.inject(context, headers, HttpHeaders::set);
		}
		return headers;
	}

	/**
	 * The W3C {@code traceparent} of a span that is not sampled: version 00, flags 00.
	 * @param traceId the trace id
	 * @param spanId the span's id
	 * @return the header value
	 */
	static String traceparent(String traceId, String spanId) {
		return new StringBuilder(55).append("00-").append(traceId).append('-').append(spanId).append("-00").toString();
	}

	private static HttpHeaders inject(HttpHeaders input, String name, String value) {
		try {
			input.set(name, value);
			return input;
		}
		catch (UnsupportedOperationException readOnly) {
			HttpHeaders headers = new HttpHeaders();
			headers.putAll(input);
			headers.set(name, value);
			return headers;
		}
	}

	@Override
	public boolean supports(Type type) {
		return type == Type.REQUEST;
	}

	/** Last: after the filters that copy or remove headers. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public String toString() {
		return "UnsampledTraceparent[" + (this.w3cOnly ? "traceparent written directly" : this.propagator.fields())
				+ "]";
	}

}
