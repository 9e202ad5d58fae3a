package dev.strangler.gateway.shadow;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The threads and connections the shadow path owns, released when the gateway stops.
 * Separate from the client path's on purpose: mirrors never take a connection or an event
 * loop a client request needs, and comparisons never run on an event loop at all.
 *
 * @param connections the mirrors' connection pool
 * @param loops the mirrors' event loops (their HTTP client runs on them)
 * @param compareScheduler where comparisons run
 */
record ShadowResources(ConnectionProvider connections, LoopResources loops,
		Scheduler compareScheduler) implements AutoCloseable {

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
		// Daemon threads: a mirror still waiting for a slow target never holds the JVM
		// up.
		LoopResources loops = LoopResources.create("strangler-shadow", threads, true);
		// at most one queued comparison per permit (two permits with noise detection)
		Scheduler scheduler = Schedulers.newBoundedElastic(threads, 2 * maxInFlight, "strangler-shadow-compare");
		return new ShadowResources(connections, loops, scheduler);
	}

	@Override
	public void close() {
		this.compareScheduler.dispose();
		this.connections.dispose();
		this.loops.dispose();
	}

}
