package dev.strangler.gateway.record;

import java.util.Set;

/**
 * Which routes' requests may be recorded ({@code strangler.record.routes} with a
 * {@code sample-percent} above 0): parts of the gateway that answer a request outside the
 * filter chain leave these routes' requests to it, so that recording sees them.
 *
 * <pre>{@code
 * if (recordedRoutes.includes("catalog")) { go through the chain }
 * }</pre>
 */
public final class RecordedRoutes {

	private final Set<String> routes;

	RecordedRoutes(RecordProperties properties) {
		this.routes = (properties.samplePercent() > 0) ? Set.copyOf(properties.routes()) : Set.of();
	}

	/**
	 * Whether a route's requests may be recorded.
	 * @param routeId the route id
	 * @return {@code true} when recording may pick its requests
	 */
	public boolean includes(String routeId) {
		return !this.routes.isEmpty() && this.routes.contains(routeId);
	}

	@Override
	public String toString() {
		return "RecordedRoutes" + this.routes;
	}

}
