package dev.strangler.gateway.observe;

import java.time.Duration;

import dev.strangler.gateway.route.Route;

import org.springframework.lang.Nullable;

/**
 * What happened to one request through the gateway, reported once it completed: the
 * source of the {@code strangler.requests} timer and of the access log line.
 *
 * @param method the request method
 * @param path the request path, without query
 * @param route the id of the route that claimed the request, or {@link #UNROUTED}
 * @param stage the route's stage, or {@link #NO_STAGE} for unrouted requests
 * @param backend the backend that served the response: {@code legacy} or {@code target}
 * @param status the response status code, or {@link #CANCELLED} when the client went away
 * first
 * @param duration from the request entering the gateway to its completion
 * @param cache the cache outcome ({@code hit}, {@code miss}, …), or {@code null} when the
 * response passed no cache
 * @param fallback the {@code X-Strangler-Fallback} reason, or {@code null}
 * @param traceId the trace id, or {@code null} when tracing is off
 */
record RequestOutcome(String method, String path, String route, String stage, String backend, String status,
		Duration duration, @Nullable String cache, @Nullable String fallback, @Nullable String traceId) {

	/**
	 * The {@code route} of requests no route claims (they go to the default upstream).
	 */
	static final String UNROUTED = Route.UNROUTED_ID;

	/** The {@code stage} of requests no route claims. */
	static final String NO_STAGE = "none";

	/** The {@code status} of requests whose client disconnected before the response. */
	static final String CANCELLED = "cancelled";

}
