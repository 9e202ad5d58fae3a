package dev.strangler.gateway.rollout;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link StickyRequest} held in memory; header names are stored in lower case.
 */
record InMemoryStickyRequest(Map<String, List<String>> headers, Map<String, List<String>> cookies,
		Map<String, List<String>> query, Optional<InetAddress> remoteAddress) implements StickyRequest {

	@Override
	public List<String> headerValues(String name) {
		return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
	}

	@Override
	public List<String> cookieValues(String name) {
		return this.cookies.getOrDefault(name, List.of());
	}

	@Override
	public List<String> queryValues(String name) {
		return this.query.getOrDefault(name, List.of());
	}

}
