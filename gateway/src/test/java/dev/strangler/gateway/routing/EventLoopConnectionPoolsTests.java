package dev.strangler.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EventLoopConnectionPools} and {@link SummedPoolMeters} against a real server,
 * with a client on two event loops of its own.
 */
class EventLoopConnectionPoolsTests {

	private static final String TOTAL = "reactor.netty.connection.provider.total.connections";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private DisposableServer server;

	private LoopResources loops;

	private final List<ConnectionProvider> providers = new ArrayList<>();

	@BeforeEach
	void start() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.sendString(Mono.just("ok")))
			.bindNow();
		// colocated, as Reactor Netty's default loops: a connection opens on the calling
		// loop
		this.loops = LoopResources.create("pools-test", 2, true);
	}

	@AfterEach
	void stop() {
		this.providers.forEach(ConnectionProvider::dispose);
		this.loops.dispose();
		this.server.disposeNow();
	}

	@Test
	void aCallOnAnEventLoopUsesAConnectionOpenedOnThatLoop() {
		EventLoopConnectionPools pools = pools(20);
		HttpClient client = client(pools);

		for (int round = 0; round < 3; round++) {
			for (EventLoop loop : loops()) {
				assertThat(callOn(loop, client)).as("the connection's event loop").isSameAs(loop);
			}
		}

		assertThat(pools.loopPools()).isEqualTo(2);
		// one connection per loop, reused by each loop's later calls
		assertThat(gauge(TOTAL).value()).isEqualTo(2);
		assertThat(this.meters.find(TOTAL).gauges()).hasSize(1);
	}

	@Test
	void aCallFromAnyOtherThreadUsesTheSharedPool() {
		EventLoopConnectionPools pools = pools(20);

		String body = client(pools).get()
			.uri("/")
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));

		assertThat(body).isEqualTo("ok");
		assertThat(pools.loopPools()).isZero();
		assertThat(gauge(TOTAL).value()).isEqualTo(1);
	}

	@Test
	void theGaugesAreReactorNettysSummedOverThePools() {
		EventLoopConnectionPools pools = pools(5);
		HttpClient client = client(pools);
		for (EventLoop loop : loops()) {
			callOn(loop, client);
		}
		client.get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));

		// the same gauges as Reactor Netty's own registrar, one of each per backend; a
		// connection goes back to its pool just after its response
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(values()).isEqualTo(Map.of("reactor.netty.connection.provider.active.connections",
							0.0, "reactor.netty.connection.provider.idle.connections", 3.0,
							"reactor.netty.connection.provider.max.connections", 15.0,
							"reactor.netty.connection.provider.max.pending.connections", 3.0 * 2 * 5,
							"reactor.netty.connection.provider.pending.connections", 0.0, TOTAL, 3.0)));
		assertThat(gauge(TOTAL).getId().getTags()).extracting("key")
			.containsExactlyInAnyOrder("id", "remote.address", "name");
		assertThat(gauge(TOTAL).getId().getTag("remote.address")).isEqualTo("127.0.0.1:" + this.server.port());
		assertThat(gauge(TOTAL).getId().getTag("name")).isEqualTo("backends");
	}

	@Test
	void theGaugesMatchReactorNettysOwnForOnePool() {
		// Reactor Netty's registrar writes to the global registry
		SimpleMeterRegistry reactorNettys = new SimpleMeterRegistry();
		Metrics.addRegistry(reactorNettys);
		try {
			ConnectionProvider own = ConnectionProvider.builder("backends").maxConnections(5).metrics(true).build();
			this.providers.add(own);
			client(own).get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));
			client(pools(5)).get().uri("/").responseContent().aggregate().asString().block(Duration.ofSeconds(10));

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(values()).isEqualTo(values(reactorNettys))
					.containsEntry("reactor.netty.connection.provider.idle.connections", 1.0));
		}
		finally {
			Metrics.removeRegistry(reactorNettys);
		}
	}

	@Test
	void anUnlimitedPoolStaysUnlimitedInTheSum() {
		HttpClient client = client(pools(Integer.MAX_VALUE));
		for (EventLoop loop : loops()) {
			callOn(loop, client);
		}

		assertThat(gauge("reactor.netty.connection.provider.max.connections").value()).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void disposingThePoolsRemovesTheGauges() {
		EventLoopConnectionPools pools = pools(5);
		HttpClient client = client(pools);
		for (EventLoop loop : loops()) {
			callOn(loop, client);
		}
		assertThat(this.meters.find(TOTAL).gauges()).hasSize(1);

		pools.disposeLater().block(Duration.ofSeconds(10));

		assertThat(this.meters.getMeters()).isEmpty();
		assertThat(pools.isDisposed()).isTrue();
	}

	private EventLoopConnectionPools pools(int maxConnections) {
		SummedPoolMeters summed = new SummedPoolMeters(this.meters);
		EventLoopConnectionPools pools = new EventLoopConnectionPools(() -> ConnectionProvider.builder("backends")
			.maxConnections(maxConnections)
			.metrics(true, () -> summed)
			.build());
		this.providers.add(pools);
		return pools;
	}

	private HttpClient client(ConnectionProvider provider) {
		return HttpClient.create(provider).runOn(this.loops).host("127.0.0.1").port(this.server.port());
	}

	private List<EventLoop> loops() {
		List<EventLoop> all = new ArrayList<>();
		for (EventExecutor executor : this.loops.onClient(LoopResources.hasNativeSupport())) {
			all.add((EventLoop) executor);
		}
		assertThat(all).hasSize(2);
		return all;
	}

	/**
	 * One call subscribed on the loop, as the gateway's filter chain does; its
	 * connection's loop.
	 */
	private static EventLoop callOn(EventLoop loop, HttpClient client) {
		EventLoop[] used = new EventLoop[1];
		CountDownLatch done = new CountDownLatch(1);
		Flux.defer(() -> client.get()
			.uri("/")
			.responseConnection((response, connection) -> connection.inbound()
				.receive()
				.aggregate()
				.asString()
				.doOnNext((body) -> used[0] = channelLoop(connection))))
			.subscribeOn(Schedulers.fromExecutor(loop))
			.doFinally((signal) -> done.countDown())
			.subscribe();
		try {
			assertThat(done.await(10, TimeUnit.SECONDS)).as("call done").isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		assertThat(used[0]).as("answered").isNotNull();
		return used[0];
	}

	private static EventLoop channelLoop(Connection connection) {
		return connection.channel().eventLoop();
	}

	private Gauge gauge(String name) {
		return this.meters.get(name).tag("remote.address", "127.0.0.1:" + this.server.port()).gauge();
	}

	private Map<String, Double> values() {
		return values(this.meters);
	}

	/**
	 * The pool gauges of this test's server (the global registry has other tests' too).
	 */
	private Map<String, Double> values(MeterRegistry registry) {
		String address = "127.0.0.1:" + this.server.port();
		Map<String, Double> values = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			if (meter instanceof Gauge gauge && meter.getId().getName().startsWith("reactor.netty.connection.provider")
					&& address.equals(meter.getId().getTag("remote.address"))) {
				values.put(meter.getId().getName(), gauge.value());
			}
		}
		return values;
	}

}
