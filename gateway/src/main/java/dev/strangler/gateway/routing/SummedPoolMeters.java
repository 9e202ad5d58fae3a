package dev.strangler.gateway.routing;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import reactor.netty.Metrics;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty's connection pool gauges ({@code reactor.netty.connection.provider.*},
 * same names and tags) for a backend whose connections are split over several pools: each
 * gauge is the sum over the pools, so the figures stay those of all the gateway's
 * connections to that backend.
 * <p>
 * Reactor Netty's own registrar would register every pool's gauges under the same name
 * and tags (the {@code id} tag is derived from the address, not from the pool), and
 * Micrometer would keep only the first pool's.
 */
final class SummedPoolMeters implements ConnectionProvider.MeterRegistrar {

	private static final String PREFIX = Metrics.CONNECTION_PROVIDER_PREFIX;

	private static final Map<String, ToIntFunction<ConnectionPoolMetrics>> GAUGES = Map.of(
			PREFIX + ".total.connections", ConnectionPoolMetrics::allocatedSize, PREFIX + ".active.connections",
			ConnectionPoolMetrics::acquiredSize, PREFIX + ".idle.connections", ConnectionPoolMetrics::idleSize,
			PREFIX + ".pending.connections", ConnectionPoolMetrics::pendingAcquireSize, PREFIX + ".max.connections",
			ConnectionPoolMetrics::maxAllocatedSize, PREFIX + ".max.pending.connections",
			ConnectionPoolMetrics::maxPendingAcquireSize);

	private final MeterRegistry registry;

	private final Map<Tags, Pools> byTags = new ConcurrentHashMap<>();

	/**
	 * Creates the registrar.
	 * @param registry where the gauges go: Reactor Netty's ({@link Metrics#REGISTRY}), as
	 * for its own gauges
	 */
	SummedPoolMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		this.byTags.compute(tags(poolName, id, remoteAddress), (tags, pools) -> {
			Pools registered = (pools != null) ? pools : register(tags);
			registered.metrics.add(metrics);
			return registered;
		});
	}

	/**
	 * A pool of that backend was disposed. The gateway disposes all of a backend's pools
	 * together (at shutdown, or with {@code disposeWhen} on every pool), so the gauges go
	 * when the last one does.
	 */
	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.byTags.computeIfPresent(tags(poolName, id, remoteAddress), (tags, pools) -> {
			if (pools.metrics.size() > 1) {
				pools.metrics.remove(0);
				return pools;
			}
			pools.meters.forEach(this.registry::remove);
			return null;
		});
	}

	private Pools register(Tags tags) {
		Pools pools = new Pools(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
		GAUGES.forEach((name,
				value) -> pools.meters.add(Gauge.builder(name, pools, (all) -> all.sum(value))
					.tags(tags)
					.strongReference(true)
					.register(this.registry)));
		return pools;
	}

	private static Tags tags(String poolName, String id, SocketAddress remoteAddress) {
		return Tags.of("id", id, "remote.address", Metrics.formatSocketAddress(remoteAddress), "name", poolName);
	}

	@Override
	public String toString() {
		return "SummedPoolMeters[" + this.byTags.size() + " backends]";
	}

	/** The pools of one backend, and their gauges. */
	private record Pools(List<ConnectionPoolMetrics> metrics, List<Meter> meters) {

		/**
		 * The sum over the pools; a limit that one pool does not have stays unlimited.
		 */
		double sum(ToIntFunction<ConnectionPoolMetrics> value) {
			long sum = 0;
			for (ConnectionPoolMetrics pool : this.metrics) {
				int one = value.applyAsInt(pool);
				if (one == Integer.MAX_VALUE) {
					return Integer.MAX_VALUE;
				}
				sum += one;
			}
			return sum;
		}

	}

}
