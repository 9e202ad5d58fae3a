package dev.strangler.gateway.observe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link BackendClientMetrics} records what Reactor Netty's own Micrometer recorder
 * records: the same meters, tags and counts, side by side against one real server.
 */
class BackendClientMetricsTests {

	private static final int CALLS = 3;

	private static final String PREFIX = "reactor.netty.http.client";

	private final SimpleMeterRegistry reactorNettys = new SimpleMeterRegistry();

	private final SimpleMeterRegistry ours = new SimpleMeterRegistry();

	private DisposableServer server;

	@BeforeEach
	void startServer() {
		// Reactor Netty's recorder registers in Micrometer's global registry.
		Metrics.addRegistry(this.reactorNettys);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/items/{id}", (request, response) -> response.sendString(Mono.just("item")))
				.post("/items",
						(request, response) -> request.receive()
							.aggregate()
							.then(response.status(201).sendString(Mono.just("created")).then())))
			.bindNow();
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow();
		Metrics.removeRegistry(this.reactorNettys);
	}

	@Test
	void recordsTheMetersReactorNettysRecorderRecords() {
		call(HttpClient.create(provider("reactor-nettys")).metrics(true, BackendClientMetrics.COLLAPSE_URI));
		BackendClientMetrics recorder = new BackendClientMetrics(this.ours);
		call(HttpClient.create(provider("ours")).metrics(true, () -> recorder, BackendClientMetrics.COLLAPSE_URI));

		// The request's write is recorded when its promise completes, which can come
		// after
		// the response: wait for both sides to have every call.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Map<String, Long> expected = meters(this.reactorNettys);
			assertThat(expected).containsKeys(
					"reactor.netty.http.client.response.time{method=GET,proxy.address=na,remote.address=" + address()
							+ ",status=200,uri=*}",
					"reactor.netty.http.client.data.sent.time{method=POST,proxy.address=na,remote.address=" + address()
							+ ",uri=*}",
					"reactor.netty.http.client.connect.time{proxy.address=na,remote.address=" + address()
							+ ",status=SUCCESS}");
			assertThat(meters(this.ours)).isEqualTo(expected);
		});
		assertThat(recorder.toString()).startsWith("BackendClientMetrics[reactor.netty.http.client.*, ");
	}

	@Test
	void aMeterIsRegisteredOnceAndFoundAgainByTheAddressTheConnectionHolds() {
		BackendClientMetrics recorder = new BackendClientMetrics(this.ours);
		for (int i = 0; i < 100; i++) {
			// A new address object each time, as each connection holds its own.
			recorder.recordResponseTime(new InetSocketAddress("127.0.0.1", 8081), "*", "GET", "200",
					Duration.ofMillis(2));
		}

		assertThat(this.ours.getMeters()).hasSize(1);
		Timer timer = this.ours.get(PREFIX + ".response.time").timer();
		assertThat(timer.count()).isEqualTo(100);
		assertThat(timer.getId().getTags()).containsExactlyInAnyOrder(Tag.of("remote.address", "127.0.0.1:8081"),
				Tag.of("proxy.address", "na"), Tag.of("uri", "*"), Tag.of("method", "GET"), Tag.of("status", "200"));
	}

	@Test
	void errorsAndProxiedCallsAreTaggedAsReactorNettyTagsThem() {
		BackendClientMetrics recorder = new BackendClientMetrics(this.ours);
		InetSocketAddress backend = new InetSocketAddress("127.0.0.1", 8081);
		InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", 3128);

		recorder.incrementErrorsCount(backend, "*");
		recorder.incrementErrorsCount(backend);
		recorder.recordDataReceived(backend, proxy, "*", 42);
		recorder.recordResolveAddressTime(backend, Duration.ofMillis(1), "SUCCESS");

		assertThat(this.ours.get(PREFIX + ".errors").tag("uri", "*").counter().count()).isEqualTo(1);
		Counter connectionErrors = this.ours.get(PREFIX + ".errors").tag("uri", "http").counter();
		assertThat(connectionErrors.getId().getTag("proxy.address")).isEqualTo("na");
		DistributionSummary proxied = this.ours.get(PREFIX + ".data.received").summary();
		assertThat(proxied.getId().getTag("proxy.address")).isEqualTo("127.0.0.1:3128");
		assertThat(proxied.getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(proxied.totalAmount()).isEqualTo(42);
		Timer resolver = this.ours.get(PREFIX + ".address.resolver").timer();
		assertThat(resolver.getId().getTags()).containsExactlyInAnyOrder(Tag.of("remote.address", "127.0.0.1:8081"),
				Tag.of("status", "SUCCESS"));
	}

	private void call(HttpClient client) {
		HttpClient bound = client.baseUrl("http://" + address());
		for (int i = 0; i < CALLS; i++) {
			bound.get().uri("/items/" + i).responseContent().aggregate().asString().block(Duration.ofSeconds(10));
		}
		bound.post()
			.uri("/items")
			.send(ByteBufFlux.fromString(Mono.just("{\"name\":\"new\"}")))
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
	}

	private ConnectionProvider provider(String name) {
		return ConnectionProvider.builder(name).maxConnections(1).build();
	}

	private String address() {
		return "127.0.0.1:" + this.server.port();
	}

	/**
	 * The client meters for this test's server: id (name and tags) to how many values
	 * each holds. Bytes per read are left out: how a response is split into reads is the
	 * kernel's choice, not the recorder's.
	 */
	private Map<String, Long> meters(MeterRegistry registry) {
		Map<String, Long> meters = new TreeMap<>();
		for (Meter meter : registry.getMeters()) {
			Meter.Id id = meter.getId();
			if (id.getName().startsWith(PREFIX) && address().equals(id.getTag("remote.address"))) {
				meters.put(id.getName() + tags(id), count(meter));
			}
		}
		return meters;
	}

	private static String tags(Meter.Id id) {
		Map<String, String> tags = new TreeMap<>();
		id.getTags().forEach((tag) -> tags.put(tag.getKey(), tag.getValue()));
		return tags.toString().replace(" ", "");
	}

	private static long count(Meter meter) {
		if (meter instanceof Timer timer) {
			return timer.count();
		}
		if (meter instanceof Counter counter) {
			return (long) counter.count();
		}
		if (meter instanceof DistributionSummary summary) {
			return BackendClientMetrics.CONNECTION_URI.equals(summary.getId().getTag("uri")) ? -1 : summary.count();
		}
		return -1;
	}

}
