package dev.strangler.gateway.headers;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * The forwarding headers ({@code X-Forwarded-*}, {@code Forwarded}) of one request on its
 * way to a backend: decided once per request by {@link ForwardingHeadersFilter} and
 * written by each sender into the copy of the headers it sends anyway: the proxied
 * request ({@link ForwardingHeadersKeeper}), a mirror, a recording. The client's request
 * itself stays as it came, so that no filter copies all of its headers for four small
 * values.
 *
 * <pre>{@code
 * HttpHeaders sent = ForwardedRequestHeaders.copyOf(exchange); // what a backend gets
 * }</pre>
 *
 * Without a decision (the filter did not run) the request's own forwarding headers are
 * the ones sent, unchanged.
 */
public final class ForwardedRequestHeaders {

	private static final String ATTRIBUTE = ForwardedRequestHeaders.class.getName();

	private ForwardedRequestHeaders() {
	}

	/**
	 * Records the forwarding headers decided for a request.
	 * @param exchange the exchange
	 * @param forwarding every forwarding header backends get, and only those (read-only)
	 */
	static void decide(ServerWebExchange exchange, HttpHeaders forwarding) {
		exchange.getAttributes().put(ATTRIBUTE, forwarding);
	}

	/**
	 * The forwarding headers backends get for a request.
	 * @param exchange the exchange
	 * @return those decided for it (read-only), or {@code null} when none were
	 */
	@Nullable
	public static HttpHeaders decided(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

	/**
	 * Whether a header is a forwarding header (case-insensitive).
	 * @param name a header name
	 * @return {@code true} for {@code X-Forwarded-*} and {@code Forwarded}
	 */
	public static boolean isForwarding(String name) {
		return ForwardingHeaders.isForwarding(name);
	}

	/**
	 * Replaces, in writable headers about to be sent to a backend, every forwarding
	 * header with those decided for the request.
	 * @param headers writable headers, changed in place
	 * @param exchange the exchange they are sent for
	 * @return {@code headers}
	 */
	public static HttpHeaders writeInto(HttpHeaders headers, ServerWebExchange exchange) {
		HttpHeaders decided = decided(exchange);
		headers.keySet().removeIf(ForwardingHeaders::isForwarding);
		if (decided != null) {
			// holds forwarding headers only
			decided.forEach(headers::addAll);
			return headers;
		}
		HttpHeaders requestHeaders = exchange.getRequest().getHeaders();
		for (String name : requestHeaders.keySet()) {
			if (ForwardingHeaders.isForwarding(name)) {
				headers.addAll(name, requestHeaders.getOrEmpty(name));
			}
		}
		return headers;
	}

	/**
	 * A writable copy of the request's headers as backends get them.
	 * @param exchange the exchange
	 * @return a new copy, its forwarding headers those decided for the request
	 */
	public static HttpHeaders copyOf(ServerWebExchange exchange) {
		HttpHeaders copy = new HttpHeaders();
		copy.putAll(exchange.getRequest().getHeaders());
		return writeInto(copy, exchange);
	}

}
