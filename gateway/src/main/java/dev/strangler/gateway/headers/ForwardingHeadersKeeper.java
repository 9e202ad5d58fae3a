package dev.strangler.gateway.headers;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes, on the way to a backend, the forwarding headers {@link ForwardingHeadersFilter}
 * decided for the request ({@link ForwardedRequestHeaders}), and only those: every
 * {@code Forwarded} and {@code X-Forwarded-*} header in what the filters before hand over
 * is dropped first. Spring Cloud Gateway's own removers, which did the dropping by
 * copying every header, are taken out ({@link DuplicateForwardingRemovers}); with
 * {@code spring.cloud.gateway.server.webflux.trusted-proxies} set, its
 * {@code XForwardedHeadersFilter} would trust by regular expression on the peer alone and
 * keep only trusted {@code X-Forwarded-For} entries, losing the client: this filter runs
 * after it and replaces what it wrote.
 */
final class ForwardingHeadersKeeper implements HttpHeadersFilter, Ordered {

	@Override
	public int getOrder() {
		// After Spring Cloud Gateway's forwarding filters (order 0).
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		if (input == exchange.getRequest().getHeaders() && ForwardedRequestHeaders.decided(exchange) == null) {
			// Nothing copied them and nothing was decided: they already carry exactly the
			// request's.
			return input;
		}
		try {
			// The filters before hand over a copy of their own: changing it in place
			// spares one more copy of every header.
			return ForwardedRequestHeaders.writeInto(input, exchange);
		}
		catch (UnsupportedOperationException readOnly) {
			HttpHeaders copy = new HttpHeaders();
			copy.putAll(input);
			return ForwardedRequestHeaders.writeInto(copy, exchange);
		}
	}

	@Override
	public String toString() {
		return "ForwardingHeadersKeeper[order=" + getOrder() + "]";
	}

}
