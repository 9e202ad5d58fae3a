package dev.strangler.gateway.server;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the gateway's own HTTP servers (traffic and management port) treat their
 * connections.
 */
@Configuration(proxyBeanMethods = false)
class ServerConfiguration {

	private static final Log logger = LogFactory.getLog(ServerConfiguration.class);

	@Bean
	KeepAliveReadResumption keepAliveReadResumption() {
		return new KeepAliveReadResumption();
	}

	@Bean
	EdgeLimits edgeLimits(EdgeProperties edge, ServerProperties server, ObjectMapper json, MeterRegistry registry) {
		EdgeProblem lineTooLong = new EdgeProblem(HttpResponseStatus.REQUEST_URI_TOO_LONG,
				"The request line is longer than " + EdgeProblem.format(server.getNetty().getMaxInitialLineLength())
						+ " (server.netty.max-initial-line-length)",
				json, registry);
		EdgeProblem headersTooLarge = new EdgeProblem(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
				"The request's headers are larger than " + EdgeProblem.format(server.getMaxHttpRequestHeaderSize())
						+ " (server.max-http-request-header-size)",
				json, registry);
		EdgeProblem malformed = new EdgeProblem(HttpResponseStatus.BAD_REQUEST,
				"The request is not well-formed HTTP/1.1", json, registry);
		EdgeProblem tooLarge = new EdgeProblem(
				HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is larger than "
						+ EdgeProblem.format(edge.maxRequestBody()) + " (strangler.edge.max-request-body)",
				json, registry);
		EdgeProblem headTimedOut = new EdgeProblem(HttpResponseStatus.REQUEST_TIMEOUT,
				"The request's head took longer than " + EdgeProblem.format(edge.requestHeadTimeout())
						+ " to arrive (strangler.edge.request-head-timeout)",
				json, registry);
		warnIfReactorNettyIdleTimeoutSet(server, edge);
		return new EdgeLimits(new MalformedRequestAnswer(lineTooLong, headersTooLarge, malformed),
				edge.maxRequestBody().toBytes(), tooLarge, edge.requestHeadTimeout(), edge.idleTimeout(), headTimedOut);
	}

	/**
	 * Spring Boot's {@code server.netty.idle-timeout} still works (Reactor Netty applies
	 * it), but next to the gateway's own idle timeout: whichever is shorter closes first,
	 * and Reactor Netty's costs a handler added and removed per request.
	 */
	private static void warnIfReactorNettyIdleTimeoutSet(ServerProperties server, EdgeProperties edge) {
		Duration reactorNetty = server.getNetty().getIdleTimeout();
		if (reactorNetty != null) {
			logger.warn("server.netty.idle-timeout=" + reactorNetty + " is set: Reactor Netty closes idle connections"
					+ " after it, and the gateway after strangler.edge.idle-timeout=" + edge.idleTimeout()
					+ " (the shorter wins). Set strangler.edge.idle-timeout alone: Reactor Netty's idle timeout adds"
					+ " and removes a handler on every request");
		}
	}

}
