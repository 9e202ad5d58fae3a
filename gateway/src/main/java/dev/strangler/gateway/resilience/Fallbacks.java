package dev.strangler.gateway.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the requests legacy answered because the target failed,
 * {@code strangler.fallbacks{route, reason}}, wherever the fallback happened (the filter
 * chain or the front).
 */
final class Fallbacks {

	private Fallbacks() {
	}

	/**
	 * Counts one fallback.
	 * @param meters where the counter lives
	 * @param routeId the route
	 * @param reason the {@code X-Strangler-Fallback} reason
	 */
	static void count(MeterRegistry meters, String routeId, String reason) {
		Counter.builder("strangler.fallbacks")
			.description("Requests answered by legacy because the target failed")
			.tag("route", routeId)
			.tag("reason", reason)
			.register(meters)
			.increment();
	}

}
