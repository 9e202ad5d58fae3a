package dev.strangler.gateway.resilience;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Why a call to the target failed, as the {@code X-Strangler-Fallback} reason, and
 * whether the target provably never received the request (DESIGN §8: only then may a
 * non-idempotent request be re-sent to legacy).
 *
 * @param reason the header value, for example {@code connect-refused}
 * @param neverReached {@code true} when the request never left the gateway (open circuit,
 * full bulkhead, connection refused)
 * @param bodyUntouched {@code true} when not even the request body was read (open
 * circuit, full bulkhead), so a body that cannot be replayed is still intact
 * @param status the problem status the client gets when there is no fallback
 */
record TargetFailure(String reason, boolean neverReached, boolean bodyUntouched, HttpStatus status) {

	static final TargetFailure CIRCUIT_OPEN = new TargetFailure("circuit-open", true, true,
			HttpStatus.SERVICE_UNAVAILABLE);

	static final TargetFailure BULKHEAD_FULL = new TargetFailure("bulkhead-full", true, true,
			HttpStatus.SERVICE_UNAVAILABLE);

	static final TargetFailure CONNECT_REFUSED = new TargetFailure("connect-refused", true, false,
			HttpStatus.BAD_GATEWAY);

	static final TargetFailure CONNECT_TIMEOUT = new TargetFailure("connect-timeout", true, false,
			HttpStatus.GATEWAY_TIMEOUT);

	static final TargetFailure TIMEOUT = new TargetFailure("timeout", false, false, HttpStatus.GATEWAY_TIMEOUT);

	static final TargetFailure CONNECTION_RESET = new TargetFailure("connection-reset", false, false,
			HttpStatus.BAD_GATEWAY);

	static final TargetFailure BAD_RESPONSE = new TargetFailure("bad-response", false, false, HttpStatus.BAD_GATEWAY);

	/**
	 * A 5xx answer of the target: it received the request.
	 * @param status the target's status
	 * @return the failure
	 */
	static TargetFailure status(int status) {
		return new TargetFailure("status-" + status, false, false, HttpStatus.BAD_GATEWAY);
	}

	/**
	 * Classifies an error of a target call. Netty and Reactor wrap the interesting
	 * exception, so the first known cause decides; anything unknown is a bad response,
	 * which is never taken for "not received".
	 * @param error the error
	 * @return the failure
	 */
	static TargetFailure of(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof BadResponseException) {
				return BAD_RESPONSE;
			}
			if (cause instanceof CallNotPermittedException) {
				return CIRCUIT_OPEN;
			}
			if (cause instanceof BulkheadFullException) {
				return BULKHEAD_FULL;
			}
			// Before ConnectException: Netty's connect timeout is not one, but is just as
			// surely "never sent".
			if (cause instanceof ConnectTimeoutException) {
				return CONNECT_TIMEOUT;
			}
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return CONNECT_REFUSED;
			}
			if (cause instanceof TimeoutException || cause instanceof ReadTimeoutException) {
				return TIMEOUT;
			}
			if (cause instanceof ResponseStatusException status
					&& status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
				// The response timeout: the gateway's (routing.BackendResponseDeadline)
				// or
				// Spring Cloud Gateway's own, which fail a call alike.
				return TIMEOUT;
			}
			if (cause instanceof IOException) {
				// Reset by peer, or closed before a complete response (reactor-netty's
				// PrematureCloseException): the request may have been processed.
				return CONNECTION_RESET;
			}
		}
		return BAD_RESPONSE;
	}

	/**
	 * The error the client gets when this failure is not answered by legacy.
	 * @param cause the original error
	 * @return a problem-rendering exception
	 */
	ResponseStatusException toProblem(Throwable cause) {
		return new ResponseStatusException(this.status, "The target failed (" + this.reason + ")", cause);
	}

	/**
	 * A target response that broke off or could not be parsed before it was relayed.
	 */
	static final class BadResponseException extends IOException {

		BadResponseException(Throwable cause) {
			super("The target's response broke off: " + cause, cause);
		}

	}

}
