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
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ResponseStatusException;

/**
 * The RFC 9457 problem the gateway answers with when a call to a backend, or the gateway
 * itself, fails: {@code 502} for a backend that cannot be reached or closes the
 * connection early, {@code 504} for one too slow, the status of a
 * {@link ResponseStatusException}, else {@code 500}. Never reveals backend addresses:
 * only the route id and backend role. Used by the filter chain's error handler and by the
 * front, which proxies some requests before the chain.
 */
public final class GatewayProblems {

	/** The log of the gateway's own errors (5xx), named as it always was. */
	static final Log logger = LogFactory.getLog(ProblemErrorHandler.class);

	private final ObjectMapper objectMapper;

	GatewayProblems(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	/**
	 * The problem for a failure, rendered.
	 * @param failure what failed
	 * @param path the request's path
	 * @param decision the route and backend, {@code null} when no route claimed the
	 * request
	 * @return the problem's status and JSON body
	 * @throws JsonProcessingException if it cannot be serialized
	 */
	public Rendered render(Throwable failure, String path, @Nullable RoutingDecision decision)
			throws JsonProcessingException {
		ProblemDetail problem = problemFor(failure);
		problem.setInstance(URI.create(path));
		if (decision != null) {
			problem.setProperty("route", decision.route().id());
			problem.setProperty("backend", decision.backend().value());
		}
		return new Rendered(problem.getStatus(), this.objectMapper.writeValueAsBytes(problem));
	}

	static ProblemDetail problemFor(Throwable ex) {
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

	/**
	 * Logs a gateway error (5xx) of a request whose trace is not sampled, with the ids of
	 * that trace: it has no observation to restore them from.
	 * @param message the line
	 * @param unsampled the request's trace, {@code null} when tracing is off
	 */
	public static void warn(String message, @Nullable RequestTrace unsampled) {
		if (unsampled == null) {
			logger.warn(message);
			return;
		}
		try (AccessLineMdc.Ids ids = AccessLineMdc.put(unsampled.traceId(), unsampled.spanId())) {
			logger.warn(message);
		}
	}

	@Override
	public String toString() {
		return "GatewayProblems";
	}

	/**
	 * A problem ready to write as {@code application/problem+json}.
	 *
	 * @param status the HTTP status
	 * @param body the JSON body
	 */
	public record Rendered(int status, byte[] body) {

	}

}
