package dev.strangler.gateway.routing;

import java.net.InetSocketAddress;

import dev.strangler.gateway.route.StickyKey;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;

/**
 * Reads a route's sticky key ({@code rollout.stickyBy}) out of a request, so that the
 * backend decision itself stays free of WebFlux types.
 */
final class StickyKeyReader {

	@Nullable
	String read(@Nullable StickyKey key, ServerHttpRequest request) {
		if (key == null) {
			return null;
		}
		return switch (key.source()) {
			case HEADER -> request.getHeaders().getFirst(key.name());
			case QUERY -> request.getQueryParams().getFirst(key.name());
			case COOKIE -> {
				HttpCookie cookie = request.getCookies().getFirst(key.name());
				yield (cookie != null) ? cookie.getValue() : null;
			}
			case CLIENT_IP -> {
				InetSocketAddress remote = request.getRemoteAddress();
				yield (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : null;
			}
		};
	}

}
