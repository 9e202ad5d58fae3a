package dev.strangler.gateway.problem;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strangler.gateway.observe.AccessLineMdc;
import dev.strangler.gateway.observe.RequestTrace;
import dev.strangler.gateway.routing.RoutingDecision;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Renders errors the gateway itself produces (a backend unreachable or too slow, a
 * rejected request) as RFC 9457 {@code application/problem+json}. Never reveals backend
 * addresses: only the route id and backend role.
 */
final class ProblemErrorHandler implements ErrorWebExceptionHandler, Ordered {

	/** Before Spring Boot's default handler (order -1). */
	static final int ORDER = -2;

	private static final Log logger = LogFactory.getLog(ProblemErrorHandler.class);

	private static final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	private final ObjectMapper objectMapper;

	ProblemErrorHandler(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem = problemFor(ex);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		RoutingDecision decision = RoutingDecision.of(exchange);
		if (decision != null) {
			problem.setProperty("route", decision.route().id());
			problem.setProperty("backend", decision.backend().value());
		}
		byte[] body;
		try {
			body = this.objectMapper.writeValueAsBytes(problem);
		}
		catch (JsonProcessingException serialization) {
			return Mono.error(ex);
		}
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		Mono<Void> write = response.writeWith(Mono.just(buffer));
		if (problem.getStatus() < 500) {
			return write;
		}
		String message = "Gateway error for " + exchange.getRequest().getMethod() + " "
				+ exchange.getRequest().getPath() + ": " + ex;
		RequestTrace unsampled = RequestTrace.of(exchange.getAttributes());
		if (unsampled != null) {
			// no observation to restore: the ids of its unsampled trace
			try (AccessLineMdc.Ids ids = AccessLineMdc.put(unsampled.traceId(), unsampled.spanId())) {
				logger.warn(message);
			}
			return write;
		}
		return Mono.deferContextual((context) -> {
			// With limited context propagation (the default) the request's trace context
			// is restored here, so that the line carries its trace and span ids.
			try (ContextSnapshot.Scope scope = snapshots.setThreadLocalsFrom(context)) {
				logger.warn(message);
			}
			return write;
		});
	}

	private static ProblemDetail problemFor(Throwable ex) {
		// Netty and Reactor wrap the interesting exception; the first known cause
		// decides.
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ResponseStatusException status) {
				ProblemDetail problem = ProblemDetail.forStatus(status.getStatusCode());
				problem.setDetail(status.getReason());
				return problem;
			}
			if (cause instanceof ConnectException || cause instanceof ConnectTimeoutException
					|| cause instanceof UnknownHostException) {
				return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, "The backend could not be reached");
			}
			if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException) {
				return ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
						"The backend did not answer in time");
			}
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			// Reset or closed before a complete response (reactor-netty's
			// PrematureCloseException), or a response that could not be parsed: the
			// backend
			// failed, not the gateway.
			if (cause instanceof IOException || cause instanceof DecoderException) {
				return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
						"The backend closed the connection without a complete response");
			}
		}
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The gateway failed");
	}

	@Override
	public String toString() {
		return "ProblemErrorHandler[order=" + ORDER + "]";
	}

}
