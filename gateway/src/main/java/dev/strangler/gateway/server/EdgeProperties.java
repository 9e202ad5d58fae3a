package dev.strangler.gateway.server;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits the traffic port puts on what a client sends ({@code strangler.edge.*}); the
 * request line and header limits are Spring Boot's own
 * ({@code server.netty.max-initial-line-length},
 * {@code server.max-http-request-header-size}).
 *
 * @param maxRequestBody the largest request body the gateway accepts; a larger one is
 * refused with a {@code 413} problem, up front when its {@code Content-Length} says so,
 * as it arrives when it is chunked. Default 10MB
 * @param requestHeadTimeout the longest time a client may take to send a request head,
 * from its first byte to the end of its headers (the idle timeout stops at that first
 * byte); a slower client, such as one trickling its head byte by byte, gets a {@code 408}
 * problem and its connection is closed. Default 10s
 * @param idleTimeout how long a keep-alive connection may sit idle between requests (or
 * before its first) before the gateway closes it, silently as HTTP/1.1 allows; longer
 * than the 60s of common load balancers, so a balancer in front closes first and never
 * sends a request on a connection the gateway is closing. In place of Spring Boot's
 * {@code server.netty.idle-timeout}, whose Reactor Netty handler is added and removed on
 * every request. Default 75s
 */
@ConfigurationProperties("strangler.edge")
record EdgeProperties(@DefaultValue("10MB") DataSize maxRequestBody, @DefaultValue("10s") Duration requestHeadTimeout,
		@DefaultValue("75s") Duration idleTimeout) {

	EdgeProperties {
		if (maxRequestBody.toBytes() <= 0) {
			throw new IllegalArgumentException(
					"strangler.edge.max-request-body must be positive but was " + maxRequestBody);
		}
		if (requestHeadTimeout.isNegative() || requestHeadTimeout.isZero()) {
			throw new IllegalArgumentException(
					"strangler.edge.request-head-timeout must be positive but was " + requestHeadTimeout);
		}
		if (idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new IllegalArgumentException("strangler.edge.idle-timeout must be positive but was " + idleTimeout);
		}
	}

}
