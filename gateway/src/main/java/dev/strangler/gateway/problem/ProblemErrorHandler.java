package dev.strangler.gateway.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.strangler.gateway.observe.RequestTrace;
import dev.strangler.gateway.routing.RoutingDecision;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.apache.commons.logging.Log;
import reactor.core.publisher.Mono;

import org.springframework.boot.web.reactive.error.ErrorWebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Renders errors the gateway itself produces (a backend unreachable or too slow, a
 * rejected request) as RFC 9457 {@code application/problem+json}. Never reveals backend
 * addresses: only the route id and backend role.
 */
final class ProblemErrorHandler implements ErrorWebExceptionHandler, Ordered {

	/** Before Spring Boot's default handler (order -1). */
	static final int ORDER = -2;

	private static final Log logger = GatewayProblems.logger;

	private static final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	private final GatewayProblems problems;

	ProblemErrorHandler(GatewayProblems problems) {
		this.problems = problems;
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
		GatewayProblems.Rendered problem;
		try {
			problem = this.problems.render(ex, exchange.getRequest().getPath().value(), RoutingDecision.of(exchange));
		}
		catch (JsonProcessingException serialization) {
			return Mono.error(ex);
		}
		byte[] body = problem.body();
		response.setStatusCode(HttpStatusCode.valueOf(problem.status()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		Mono<Void> write = response.writeWith(Mono.just(buffer));
		if (problem.status() < 500) {
			return write;
		}
		String message = "Gateway error for " + exchange.getRequest().getMethod() + " "
				+ exchange.getRequest().getPath() + ": " + ex;
		RequestTrace unsampled = RequestTrace.of(exchange.getAttributes());
		if (unsampled != null) {
			// no observation to restore: the ids of its unsampled trace
			GatewayProblems.warn(message, unsampled);
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

	@Override
	public String toString() {
		return "ProblemErrorHandler[order=" + ORDER + "]";
	}

}
