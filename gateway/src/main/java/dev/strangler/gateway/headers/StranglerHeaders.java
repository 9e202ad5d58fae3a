package dev.strangler.gateway.headers;

/**
 * Names of the headers the gateway owns; clients cannot set any {@code X-Strangler-*}.
 */
public final class StranglerHeaders {

	/** Prefix of every internal header. */
	public static final String PREFIX = "X-Strangler-";

	/** Id of the route that claimed the request. */
	public static final String ROUTE = "X-Strangler-Route";

	/** Backend that served the response: {@code legacy} or {@code target}. */
	public static final String BACKEND = "X-Strangler-Backend";

	/**
	 * Request header asking for a backend ({@code legacy} or {@code target}); honoured
	 * only when {@code strangler.testing.force-backend.enabled} and sent with
	 * {@link #FORCE_TOKEN}, removed before forwarding either way.
	 */
	public static final String FORCE_BACKEND = "X-Strangler-Force-Backend";

	/**
	 * Request header carrying the tester's secret
	 * ({@code strangler.testing.force-backend.token}); never forwarded.
	 */
	public static final String FORCE_TOKEN = "X-Strangler-Force-Token";

	private StranglerHeaders() {
	}

	/**
	 * Whether a header name is internal to the gateway (case-insensitive).
	 * @param name a header name
	 * @return {@code true} for {@code X-Strangler-*}
	 */
	public static boolean isInternal(String name) {
		return name.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
	}

}
