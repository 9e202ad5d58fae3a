package dev.strangler.gateway.routing;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * The backends' connections, pooled per event loop: a request handled on an event loop
 * takes its backend connection from that loop's own pool, whose connections were all
 * opened on that loop.
 * <p>
 * With one shared pool (Reactor Netty's default, and plain Spring Cloud Gateway's), a
 * request gets whichever idle connection comes first, usually one that belongs to another
 * event loop: the request is then written by a task handed to that loop, and the response
 * by a task handed back, each waking the other thread. Kept on one loop, the call makes
 * no thread hand-off at all (docs/benchmarks.md: the event loops' {@code eventfd}
 * wake-ups, a quarter of a system call per request, are gone).
 * <p>
 * New connections already open on the calling loop (Reactor Netty's loops are colocated),
 * so each loop's pool holds only its own. Calls from any other thread (a retry after a
 * back-off, for instance) use a pool shared by all such threads. Each pool has the
 * settings of the pool it replaces; what changes is that each loop keeps its own idle
 * connections.
 */
final class EventLoopConnectionPools implements ConnectionProvider {

	private final Supplier<ConnectionProvider> newPool;

	private final ConnectionProvider shared;

	private final Map<EventExecutor, ConnectionProvider> perLoop = new ConcurrentHashMap<>();

	/**
	 * Creates the pools.
	 * @param newPool makes one pool, with the configured settings
	 */
	EventLoopConnectionPools(Supplier<ConnectionProvider> newPool) {
		this.newPool = newPool;
		this.shared = newPool.get();
	}

	@Override
	public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
			Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
		return pool().acquire(config, observer, remoteAddress, resolverGroup);
	}

	/** The pool of the event loop this thread runs, or the shared one. */
	ConnectionProvider pool() {
		// Netty's own record of the executor running on this thread: set for every event
		// loop, absent elsewhere
		EventExecutor executor = ThreadExecutorMap.currentExecutor();
		if (!(executor instanceof EventLoop)) {
			return this.shared;
		}
		ConnectionProvider pool = this.perLoop.get(executor);
		return (pool != null) ? pool : this.perLoop.computeIfAbsent(executor, (loop) -> this.newPool.get());
	}

	/** How many event loops have a pool of their own, for tests. */
	int loopPools() {
		return this.perLoop.size();
	}

	@Override
	public void disposeWhen(SocketAddress address) {
		this.shared.disposeWhen(address);
		this.perLoop.values().forEach((pool) -> pool.disposeWhen(address));
	}

	@Override
	public Mono<Void> disposeLater() {
		List<Mono<Void>> all = new ArrayList<>();
		all.add(this.shared.disposeLater());
		this.perLoop.values().forEach((pool) -> all.add(pool.disposeLater()));
		return Mono.when(all);
	}

	@Override
	public void dispose() {
		this.shared.dispose();
		this.perLoop.values().forEach(ConnectionProvider::dispose);
	}

	@Override
	public boolean isDisposed() {
		return this.shared.isDisposed();
	}

	@Override
	public int maxConnections() {
		return this.shared.maxConnections();
	}

	@Override
	public Map<SocketAddress, Integer> maxConnectionsPerHost() {
		return this.shared.maxConnectionsPerHost();
	}

	@Override
	public Builder mutate() {
		return this.shared.mutate();
	}

	@Override
	public String name() {
		return this.shared.name();
	}

	@Override
	public String toString() {
		return "EventLoopConnectionPools[" + name() + ", " + this.perLoop.size() + " event loops]";
	}

}
