package dev.strangler.gateway.observe;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Propagates the trace context ({@code traceparent}, W3C) to the backend for requests
 * whose trace is not sampled, which have no client observation
 * ({@link SampledClientObservation}) to do it: the backend joins the same trace, marked
 * not sampled, instead of starting one of its own. Sampled requests are left to the
 * client observation's own propagation.
 */
final class UnsampledTraceparent implements HttpHeadersFilter, Ordered {

	private final Propagator propagator;

	UnsampledTraceparent(Propagator propagator) {
		this.propagator = propagator;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		Span span = SampledRequests.serverSpan(exchange);
		if (span == null || SampledRequests.sampled(span)) {
			return input;
		}
		// The filters before this one (forwarded headers, hop-by-hop removal) hand over
		// a copy of their own; the request's headers themselves are read-only.
		HttpHeaders headers = input;
		try {
			this.propagator.inject(span.context(), headers, HttpHeaders::set);
		}
		catch (UnsupportedOperationException readOnly) {
			headers = new HttpHeaders();
			headers.putAll(input);
			this.propagator.inject(span.context(), headers, HttpHeaders::set);
		}
		return headers;
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
		return "UnsampledTraceparent[" + this.propagator.fields() + "]";
	}

}
