package dev.strangler.gateway.observe;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;

import org.springframework.lang.Nullable;

/**
 * What happened to one request through the gateway, reported once it completed: the one
 * record per request that the {@code strangler.requests} timer, the admin API's traffic
 * figures and the access log line are all made from.
 *
 * @param method the request method
 * @param path the request path, without query
 * @param route the id of the route that claimed the request, or {@link #UNROUTED}
 * @param stage the route's stage in force, or {@code null} for unrouted requests
 * @param backend the backend that served the response
 * @param status the response status code, or {@link #CANCELLED} (0) when the client went
 * away first
 * @param nanos from the request entering the gateway to its completion
 * @param cache the cache outcome ({@code hit}, {@code miss}, …), or {@code null} when the
 * response passed no cache
 * @param fallback the {@code X-Strangler-Fallback} reason, or {@code null}
 * @param traceId the trace id, or {@code null} when tracing is off
 */
public record RequestOutcome(String method, String path, String route, @Nullable Stage stage, Backend backend,
		int status, long nanos, @Nullable String cache, @Nullable String fallback, @Nullable String traceId) {

	/**
	 * The {@code route} of requests no route claims (they go to the default upstream).
	 */
	public static final String UNROUTED = Route.UNROUTED_ID;

	/** The {@code stage} of requests no route claims. */
	public static final String NO_STAGE = "none";

	/** The {@code status} of requests whose client disconnected before the response. */
	public static final int CANCELLED = 0;

	/** The {@code status} tag of requests whose client disconnected first. */
	static final String CANCELLED_TAG = "cancelled";

	/**
	 * Whether a route claimed the request.
	 * @return {@code false} for requests that went to the default upstream unrouted
	 */
	public boolean routed() {
		return !UNROUTED.equals(this.route);
	}

	/**
	 * The stage as metrics and logs name it.
	 * @return the stage, or {@link #NO_STAGE}
	 */
	String stageText() {
		return (this.stage != null) ? this.stage.value() : NO_STAGE;
	}

	/**
	 * The status as metrics and logs name it.
	 * @return the status code, or {@code cancelled}
	 */
	String statusText() {
		return (this.status == CANCELLED) ? CANCELLED_TAG : Integer.toString(this.status);
	}

}
