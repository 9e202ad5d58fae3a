package dev.strangler.gateway.support;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * What the tests of the front compare between a request the front forwarded and the same
 * request the filter chain forwarded: the headers a backend received and the headers the
 * client got, less what differs by nature (each path's own span, the test client's
 * request id, the date).
 */
public final class FrontAndChain {

	private FrontAndChain() {
	}

	/**
	 * What a backend (WireMock) received, names in lower case, less the trace (each
	 * path's own span) and the test client's request id.
	 * @param request the request as WireMock logged it
	 * @return the headers by name, sorted
	 */
	public static Map<String, List<String>> sentHeaders(LoggedRequest request) {
		Map<String, List<String>> headers = new TreeMap<>();
		for (HttpHeader header : request.getHeaders().all()) {
			if (!header.key().equalsIgnoreCase("traceparent")
					&& !header.key().equalsIgnoreCase("WebTestClient-Request-Id")) {
				headers.put(header.key().toLowerCase(), header.values());
			}
		}
		return headers;
	}

	/**
	 * What the client received, names in lower case, less the date.
	 * @param result the exchange
	 * @return the headers by name, sorted
	 */
	public static Map<String, List<String>> responseHeaders(EntityExchangeResult<?> result) {
		Map<String, List<String>> headers = new TreeMap<>();
		result.getResponseHeaders().forEach((name, values) -> {
			if (!name.equalsIgnoreCase(HttpHeaders.DATE)) {
				headers.put(name.toLowerCase(), values);
			}
		});
		return headers;
	}

}
