package dev.strangler.gateway.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a request the firewall rejected with a 400 {@code application/problem+json}
 * (RFC 9457) instead of Spring Security's empty 400: every error the gateway itself
 * produces is a problem document.
 */
final class ProblemExchangeRejectedHandler implements ServerExchangeRejectedHandler {

	private static final Log logger = LogFactory.getLog(ProblemExchangeRejectedHandler.class);

	private final ObjectMapper objectMapper;

	ProblemExchangeRejectedHandler(ObjectMapper objectMapper) {
		this.objectMapper = objectMapper;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException ex) {
		// The firewall's reason may quote the offending input: log it, never echo it.
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected " + exchange.getRequest().getMethod() + " request: " + ex.getMessage());
		}
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request was rejected by the gateway's firewall");
		byte[] body;
		try {
			body = this.objectMapper.writeValueAsBytes(problem);
		}
		catch (JsonProcessingException serialization) {
			return Mono.error(serialization);
		}
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	@Override
	public String toString() {
		return "ProblemExchangeRejectedHandler[status=400]";
	}

}
