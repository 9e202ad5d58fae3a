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
		// Never wait for a connection beyond what the limiter already allows.
		ConnectionProvider connections = ConnectionProvider.builder("strangler-shadow")
			.maxConnections(maxInFlight)
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
