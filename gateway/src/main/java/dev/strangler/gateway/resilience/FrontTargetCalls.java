package dev.strangler.gateway.resilience;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.route.Route;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
import reactor.netty.channel.ChannelOperations;

import org.springframework.http.HttpMethod;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.lang.Nullable;

/**
 * Protects the target calls the front makes itself, before the filter chain (requests
 * without a body that the target serves), exactly as {@link ResilienceFilter} protects
 * the chain's: the route's Resilience4j instances, the same {@link TargetRules} for
 * retries and for when legacy answers in the target's place, the first part of a body
 * read before it is relayed when a broken one could still fall back, the same
 * {@code strangler.fallbacks} count and {@code X-Strangler-Fallback} header. The front
 * makes the calls and answers the client; this class decides.
 *
 * <pre class="code">
 * return targetCalls.call(route, method, new FrontTargetCalls.Attempts() { ... });
 * </pre>
 */
public final class FrontTargetCalls {

	private static final Log logger = LogFactory.getLog(FrontTargetCalls.class);

	private final RouteResilience resilience;

	private final long maxBufferedBody;

	private final boolean exposeHeaders;

	private final MeterRegistry meters;

	private final BodyBudget budget;

	FrontTargetCalls(RouteResilience resilience, long maxBufferedBody, boolean exposeHeaders, MeterRegistry meters,
			BodyBudget budget) {
		this.resilience = resilience;
		this.maxBufferedBody = maxBufferedBody;
		this.exposeHeaders = exposeHeaders;
		this.meters = meters;
		this.budget = budget;
	}

	/**
	 * Calls a route's target for a request without a body, protected by the route's
	 * guards; the target's answer is relayed, or legacy answers in its place, or the call
	 * ends in the problem the client gets.
	 * @param route the route
	 * @param method the request's method
	 * @param attempts how the front calls the target and answers the client
	 * @return completes once the client is answered; an error is the problem to answer
	 * with ({@link TargetFailure#toProblem})
	 */
	public Mono<Void> call(Route route, HttpMethod method, Attempts attempts) {
		TargetRules rules = TargetRules.of(route, method, true);
		BodyBudget.Reservation held = this.budget.open();
		Attempt current = new Attempt();
		Mono<Integer> attempt = Mono.defer(() -> {
			// a retry: the previous attempt's answer is not relayed
			current.discard();
			return attempts.send().flatMap((response) -> {
				current.response = response;
				return inspect(response, rules, held, current);
			});
		});
		return this.resilience.guards(route)
			.target()
			.protect(attempt, rules.retried())
			.map(AttemptOutcome::answered)
			.onErrorResume((error) -> Mono.just(AttemptOutcome.failed(error)))
			.flatMap((outcome) -> {
				if (outcome.error() == null) {
					TargetFailure failed = rules.fallbackFor(outcome.status());
					return (failed != null) ? fallback(route, failed, current, attempts) : current.relay(attempts);
				}
				TargetFailure failure = TargetFailure.of(outcome.error());
				if (rules.fallsBackOn(failure)) {
					return fallback(route, failure, current, attempts);
				}
				if (logger.isDebugEnabled()) {
					logger.debug("Route " + route.id() + ": target failed (" + failure.reason() + ") for " + method
							+ ", not re-sent to legacy"
							+ (rules.fallbackAllowed() ? " (not safe)" : " (fallback disabled)"));
				}
				return Mono.error(failure.toProblem(outcome.error()));
			})
			.doFinally((signal) -> {
				if (!current.relayed) {
					// cancelled (or failed) before an answer was relayed
					current.discard();
				}
				held.close();
			});
	}

	/**
	 * Writes the {@code X-Strangler-Fallback} header of a response of a claimed request,
	 * as the filter chain does: the gateway owns it, so a backend's own is never passed
	 * on.
	 * @param headers the headers the client gets, written into
	 * @param reason why legacy answered in the target's place, {@code null} when it did
	 * not
	 */
	public void writeFallbackHeader(HttpHeaders headers, @Nullable String reason) {
		headers.remove(ResilienceFilter.FALLBACK_HEADER);
		String exposed = exposed(reason);
		if (exposed != null) {
			headers.set(ResilienceFilter.FALLBACK_HEADER, exposed);
		}
	}

	/**
	 * The fallback reason as the client is told it, which is what the filter chain
	 * reports (the access line, the traffic figures): none unless
	 * {@code strangler.expose-headers}.
	 * @param reason why legacy answered in the target's place, {@code null} when it did
	 * not
	 * @return the reason, or {@code null} when the client is not told
	 */
	@Nullable
	public String exposed(@Nullable String reason) {
		return this.exposeHeaders ? reason : null;
	}

	/**
	 * The status of an attempt, once the first part of its body arrived intact when a
	 * broken body could still be recovered from.
	 */
	private Mono<Integer> inspect(TargetResponse response, TargetRules rules, BodyBudget.Reservation held,
			Attempt current) {
		int status = response.status().code();
		if (!rules.checksBody() || RouteResilience.isServerError(status)
				|| isStreaming(response.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
			return Mono.just(status);
		}
		long length = contentLength(response.headers());
		if (!held.tryGrow((length >= 0) ? Math.min(length, this.maxBufferedBody) : this.maxBufferedBody,
				BodyBudget.Feature.RESPONSE_CHECK)) {
			// no room to hold its first part: relayed as it comes, no fallback on a
			// broken body
			return Mono.just(status);
		}
		Connection connection = response.connection();
		return CheckedBody.readBuffers(connection, this.maxBufferedBody).map((body) -> {
			current.checkedBody = body.doFinally((signal) -> disposeUnlessComplete(connection, signal));
			return status;
		});
	}

	private Mono<Void> fallback(Route route, TargetFailure failure, Attempt current, Attempts attempts) {
		current.discard();
		Fallbacks.count(this.meters, route.id(), failure.reason());
		if (logger.isDebugEnabled()) {
			logger.debug("Route " + route.id() + ": target failed (" + failure.reason() + "), sent to legacy");
		}
		return attempts.fallBack(failure.reason());
	}

	private static long contentLength(HttpHeaders headers) {
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (length == null) {
			return -1;
		}
		try {
			return Long.parseLong(length.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static boolean isStreaming(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			return ResilienceFilter.isStreaming(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static void disposeUnlessComplete(Connection connection, SignalType signal) {
		if (signal != SignalType.ON_COMPLETE) {
			connection.dispose();
		}
	}

	@Override
	public String toString() {
		return "FrontTargetCalls[maxBufferedBody=" + this.maxBufferedBody + ", " + this.resilience + "]";
	}

	/**
	 * How the front calls the target and answers the client.
	 */
	public interface Attempts {

		/**
		 * Sends the request to the target once; subscribed again for a retry.
		 * @return the target's answer, its body still unread
		 */
		Mono<TargetResponse> send();

		/**
		 * Answers the client with the target's response.
		 * @param response the target's status and headers
		 * @param checkedBody the body when its first part was read already (relay it,
		 * each buffer released once written); {@code null} to relay the body from the
		 * connection
		 * @return completes once the response is written
		 */
		Mono<Void> relay(TargetResponse response, @Nullable Flux<ByteBuf> checkedBody);

		/**
		 * Answers the client from legacy, in the target's place.
		 * @param reason the {@code X-Strangler-Fallback} reason
		 * @return completes once legacy's answer is written
		 */
		Mono<Void> fallBack(String reason);

	}

	/**
	 * The target's answer to one attempt, its body still unread.
	 *
	 * @param status the status
	 * @param headers the response headers
	 * @param connection the connection the body is read from
	 */
	public record TargetResponse(HttpResponseStatus status, HttpHeaders headers, Connection connection) {

	}

	/** The latest attempt of one call. */
	private static final class Attempt {

		// set on the event loop that reads the answer, read where the guards' outcome
		// arrives (a time limit ends on another thread)
		@Nullable
		private volatile TargetResponse response;

		@Nullable
		private volatile Flux<ByteBuf> checkedBody;

		private volatile boolean relayed;

		Mono<Void> relay(Attempts attempts) {
			TargetResponse answered = this.response;
			if (answered == null) {
				return Mono.empty();
			}
			this.relayed = true;
			Flux<ByteBuf> body = this.checkedBody;
			this.checkedBody = null;
			return attempts.relay(answered, body);
		}

		/**
		 * Drops an answer that will not be relayed: its connection is closed rather than
		 * left waiting for a body nobody reads.
		 */
		void discard() {
			TargetResponse answered = this.response;
			this.response = null;
			this.checkedBody = null;
			// only while the response is still this connection's: once complete, Reactor
			// Netty gave the connection back to the pool, and another request may own it
			if (answered != null && ChannelOperations.get(answered.connection().channel()) == answered.connection()) {
				answered.connection().dispose();
			}
		}

	}

}
