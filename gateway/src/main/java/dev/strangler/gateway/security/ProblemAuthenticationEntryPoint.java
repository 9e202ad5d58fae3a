package dev.strangler.gateway.security;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers refused admin calls the way every error of the gateway is answered: an RFC 9457
 * {@code application/problem+json} body, with the {@code WWW-Authenticate} challenge HTTP
 * Basic clients need (RFC 9110 §11.6.1) on a 401.
 */
final class ProblemAuthenticationEntryPoint implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	static final String CHALLENGE = "Basic realm=\"strangler-admin\"";

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
		return write(exchange, HttpStatus.UNAUTHORIZED,
				"Admin credentials are missing or wrong: use HTTP Basic with strangler.admin.username and "
						+ "strangler.admin.password (STRANGLER_ADMIN_PASSWORD); without a configured password "
						+ "the admin API refuses every call.");
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return write(exchange, HttpStatus.FORBIDDEN, "This call needs the admin role.");
	}

	private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		String body = "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase() + "\",\"status\":"
				+ status.value() + ",\"detail\":\"" + detail + "\",\"instance\":\""
				+ jsonEscaped(exchange.getRequest().getPath().value()) + "\"}";
		DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(buffer));
	}

	private static String jsonEscaped(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				escaped.append('\\').append(c);
			}
			else if (c < 0x20) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	@Override
	public String toString() {
		return "ProblemAuthenticationEntryPoint[" + CHALLENGE + "]";
	}

}
