package dev.strangler.gateway.shadow;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;

/**
 * The threads and connections the shadow path owns, released when the gateway stops.
 * Separate from the client path's on purpose: mirrors never take a connection a client
 * request needs, and comparisons never run on the event loops that serve clients.
 *
 * @param connections the mirrors' connection pool
 * @param compareScheduler where comparisons run
 */
record ShadowResources(ConnectionProvider connections, Scheduler compareScheduler) implements AutoCloseable {

	/**
	 * Creates the resources for a limit of mirrors in flight.
	 * @param maxInFlight {@code strangler.shadow.max-in-flight}
	 * @return the resources
	 */
	static ShadowResources forMaxInFlight(int maxInFlight) {
		// The limiter bounds the mirrors; the pool must never be what holds one back. A
		// mirror cut off by its timeout gives its permit back at once, but its connection
		// is closed and returned to the pool a moment later (later still if the close
		// races the connect): with connections only for the permits, the next mirror
		// could queue behind a closing one for the whole pending-acquire timeout.
		ConnectionProvider connections = ConnectionProvider.builder("strangler-shadow")
			.maxConnections(2 * maxInFlight)
			.pendingAcquireMaxCount(maxInFlight)
			.build();
		int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
		// at most one queued comparison per permit (two permits with noise detection)
		Scheduler scheduler = Schedulers.newBoundedElastic(threads, 2 * maxInFlight, "strangler-shadow-compare");
		return new ShadowResources(connections, scheduler);
	}

	@Override
	public void close() {
		this.compareScheduler.dispose();
		this.connections.dispose();
	}

}
