package dev.strangler.gateway.front;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import reactor.netty.Connection;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The port proxied traffic arrives on, learnt when its server starts, and whether a
 * request came in on it. Decorators of the WebFlux handler are applied to the management
 * server too; the front must leave that server's requests (actuator, admin API) alone,
 * whatever path a route claims.
 *
 * <p>
 * The socket's own local address decides, never a {@code Host} or {@code Forwarded}
 * header a client could send.
 */
final class TrafficPort implements ApplicationListener<WebServerInitializedEvent> {

	/** Server namespace of Spring Boot's separate management server. */
	private static final String MANAGEMENT_NAMESPACE = "management";

	private volatile int port = -1;

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		// the management child context's events reach this (parent) context too
		if (!WebServerApplicationContext.hasServerNamespace(event.getApplicationContext(), MANAGEMENT_NAMESPACE)) {
			this.port = event.getWebServer().getPort();
		}
	}

	/**
	 * Whether a request arrived on the traffic port.
	 * @param request the request
	 * @return {@code false} for the management port, and while the port is not known
	 */
	boolean accepts(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		if (!(nativeRequest instanceof Connection connection)) {
			return false;
		}
		SocketAddress local = connection.channel().localAddress();
		return local instanceof InetSocketAddress address && address.getPort() == this.port;
	}

	@Override
	public String toString() {
		return "TrafficPort[" + this.port + "]";
	}

}
