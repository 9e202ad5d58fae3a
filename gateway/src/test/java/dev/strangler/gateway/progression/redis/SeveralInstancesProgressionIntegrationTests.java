package dev.strangler.gateway.progression.redis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.strangler.gateway.StranglerGatewayApplication;
import dev.strangler.gateway.progression.ProgressionController;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.redis.RedisTestServer;
import dev.strangler.testsupport.RequiresDocker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one Redis, a progression deciding every second: each step is
 * taken once, by the holder of the decision lease, and when that instance stops the other
 * takes the lease over and carries the route on from the step it had reached.
 */
@RequiresDocker
class SeveralInstancesProgressionIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static RedisTestServer redis;

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@TempDir
	Path dir;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	// Each instance's server and management ports.
	private final HttpClient traffic = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final java.util.Map<ConfigurableApplicationContext, int[]> ports = new java.util.HashMap<>();

	@BeforeAll
	static void startRedis() {
		redis = new RedisTestServer();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@AfterEach
	void stopInstances() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.a, this.b }) {
			if (context != null) {
				context.close();
			}
		}
	}

	@Test
	void eachStepIsDecidedOnceAndTheOtherInstanceCarriesTheRouteOnWhenTheHolderStops() throws IOException {
		legacy.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\":1}")));
		target.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\":1}")));
		Path routes = Files.createDirectories(this.dir.resolve("routes"));
		Files.writeString(routes.resolve("routes.yml"), """
				routes:
				  - id: catalog
				    match:
				      paths: [/api/products/**]
				    target: http://127.0.0.1:%d
				    stage: legacy
				    progression:
				      interval: 1s
				      steps:
				        - stage: shadow
				          hold: 1s
				          minComparisons: 5
				        - percent: 50
				          # long enough for the test to pause the route at this step
				          hold: 10s
				        - stage: migrated
				      gates:
				        minRequests: 5
				        # WireMock's latency on a busy machine is no gate for this test
				        maxP99OverLegacy: 1000
				      inconclusiveLimit: 1000
				""".formatted(target.getPort()));
		this.a = instance("a");
		RedisDecisionLease leaseA = this.a.getBean(RedisDecisionLease.class);
		await().atMost(TIMEOUT).until(() -> leaseA.holder().isPresent());
		String first = leaseA.holder().get();
		this.b = instance("b");
		RedisDecisionLease leaseB = this.b.getBean(RedisDecisionLease.class);
		await().atMost(TIMEOUT).until(() -> leaseB.holder().equals(Optional.of(first)));
		ConfigurableApplicationContext holder = (first.equals(leaseA.instanceId())) ? this.a : this.b;
		ConfigurableApplicationContext other = (holder == this.a) ? this.b : this.a;
		AuditLog audit = other.getBean(AuditLog.class);

		await().atMost(TIMEOUT).untilAsserted(() -> {
			load(this.a);
			load(this.b);
			assertThat(progressionReasons(audit)).anyMatch((reason) -> reason.startsWith("promoted to step 2"));
		});
		// Paused on the instance that does not decide: commands go to any instance.
		admin(other).post().uri("/catalog/progression/pause").exchange().expectStatus().isOk();
		assertThat(progressionReasons(audit)).satisfiesExactly(
				(reason) -> assertThat(reason).startsWith("started at the first step"),
				(reason) -> assertThat(reason).startsWith("promoted to step 2 of 3 (canary 50%)"),
				(reason) -> assertThat(reason).startsWith("paused at step 2 of 3 (canary 50%): by ops"));

		// The holder's controller stops as at shutdown (closing the whole context here
		// would also stop the Reactor Netty resources both instances share in this JVM).
		holder.getBean(ProgressionController.class).close();
		RedisDecisionLease otherLease = other.getBean(RedisDecisionLease.class);
		// The stopped holder gave the lease up: the other takes it at its next tick,
		// long before the lease (30 s) would have expired.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> otherLease.holder().equals(Optional.of(otherLease.instanceId())));
		admin(other).get()
			.uri("/catalog")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.progression.phase")
			.isEqualTo("paused")
			.jsonPath("$.progression.step")
			.isEqualTo(2)
			.jsonPath("$.progression.decidedBy")
			.isEqualTo(otherLease.instanceId());
		admin(other).post().uri("/catalog/progression/resume").exchange().expectStatus().isOk();
		await().atMost(TIMEOUT).untilAsserted(() -> {
			load(other);
			assertThat(progressionReasons(audit)).anyMatch((reason) -> reason.startsWith("awaiting confirmation"));
		});
		assertThat(progressionReasons(audit)).satisfiesExactly(
				(reason) -> assertThat(reason).startsWith("started at the first step"),
				(reason) -> assertThat(reason).startsWith("promoted to step 2 of 3 (canary 50%)"),
				(reason) -> assertThat(reason).startsWith("paused at step 2 of 3 (canary 50%): by ops"),
				(reason) -> assertThat(reason).startsWith("resumed at step 2 of 3 (canary 50%): by ops"),
				(reason) -> assertThat(reason).startsWith("awaiting confirmation to migrate: step 2 of 3"));

		// A closing instance gives the lease up before its Redis connection closes.
		other.close();
		assertThat(redis.client().opsForValue().get(new ProgressionKeys("several").lease()).blockOptional()).isEmpty();
	}

	private WebTestClient admin(ConfigurableApplicationContext instance) {
		return WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.ports.get(instance)[1] + "/actuator/migration")
			.defaultHeaders((headers) -> headers.setBasicAuth("ops", "s3cret"))
			.build();
	}

	private ConfigurableApplicationContext instance(String name) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(StranglerGatewayApplication.class).run(
				"--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0",
				"--management.server.address=127.0.0.1", "--strangler.admin.username=ops",
				"--strangler.admin.password=s3cret", "--strangler.routes.poll-interval=0",
				"--strangler.evidence.bucket=1s", "--strangler.legacy.url=http://127.0.0.1:" + legacy.getPort(),
				"--strangler.routes.location=" + this.dir.resolve("routes").toUri(),
				"--strangler.state.dir=" + this.dir.resolve("state-" + name), "--strangler.state.store=redis",
				"--strangler.progression.lease-ttl=30s", "--strangler.state.redis.key-prefix=several",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port());
		// Read at once: the environment of a closing context is no place to look later.
		this.ports.put(context,
				new int[] { port(context, "local.server.port"), port(context, "local.management.port") });
		return context;
	}

	private static int port(ConfigurableApplicationContext context, String property) {
		return Integer.parseInt(context.getEnvironment().getProperty(property));
	}

	private void load(ConfigurableApplicationContext instance) throws IOException, InterruptedException {
		// The JDK's client, each body read to its end: the traffic shares no connection
		// pool with the two gateways in this JVM, and no connection stays held by an
		// unread body.
		String base = "http://127.0.0.1:" + this.ports.get(instance)[0];
		// A bounded batch per poll: enough requests for minRequests in every interval.
		for (int i = 0; i < 20; i++) {
			HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/products/" + i))
				.timeout(TIMEOUT)
				.build();
			this.traffic.send(request, HttpResponse.BodyHandlers.discarding());
		}
	}

	/** The progression's audited decisions, oldest first. */
	private static List<String> progressionReasons(AuditLog audit) {
		List<AuditEntry> entries = new java.util.ArrayList<>(audit.recent("catalog", 100));
		java.util.Collections.reverse(entries);
		return entries.stream().filter((entry) -> entry.who().equals("progression")).map(AuditEntry::reason).toList();
	}

}
