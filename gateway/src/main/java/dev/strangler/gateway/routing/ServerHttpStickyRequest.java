package dev.strangler.gateway.routing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import dev.strangler.gateway.rollout.StickyRequest;

import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A {@link ServerHttpRequest} seen as a {@link StickyRequest}. Lazy: nothing is read or
 * copied until the rollout asks, so stages that need no sticky key cost nothing.
 */
final class ServerHttpStickyRequest implements StickyRequest {

	private final ServerHttpRequest request;

	ServerHttpStickyRequest(ServerHttpRequest request) {
		this.request = request;
	}

	@Override
	public List<String> headerValues(String name) {
		return this.request.getHeaders().getOrEmpty(name);
	}

	@Override
	public List<String> cookieValues(String name) {
		return this.request.getCookies().getOrDefault(name, List.of()).stream().map(HttpCookie::getValue).toList();
	}

	@Override
	public List<String> queryValues(String name) {
		return this.request.getQueryParams().getOrDefault(name, List.of());
	}

	@Override
	public Optional<InetAddress> remoteAddress() {
		// The socket peer, never a header: X-Forwarded-For is TrustedProxies' business.
		return Optional.ofNullable(this.request.getRemoteAddress()).map(InetSocketAddress::getAddress);
	}

	@Override
	public String toString() {
		return "ServerHttpStickyRequest[" + this.request.getMethod() + " " + this.request.getPath() + "]";
	}

}
