package dev.strangler.gateway.state.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import dev.strangler.testsupport.RequiresDocker;

/**
 * The gateway with {@code strangler.state.store=redis}: the admin API writes through
 * Redis, a Redis that hangs refuses writes with a 503 problem while traffic and readiness
 * go on, and the shadow mismatches are shared.
 */
@RequiresDocker
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret", "strangler.routes.poll-interval=0",
				"strangler.state.store=redis", "strangler.state.redis.key-prefix=wired",
				"strangler.state.redis.timeout=500ms", "strangler.state.redis.resync-interval=500ms",
				"strangler.evidence.instance-id=gateway-under-test" })
class RedisStateStoreIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static RedisServer redis;

	private static final Path DIR = temporaryDirectory();

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		redis = new RedisServer();
		Files.createDirectories(DIR.resolve("routes"));
		Files.writeString(DIR.resolve("routes/catalog.yml"), """
				routes:
				  - id: catalog
				    match:
				      paths: [/api/products/**]
				    target: ${test.target-url}
				    stage: shadow
				    shadow:
				      percent: 100
				""");
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("strangler.routes.location", () -> DIR.resolve("routes").toUri().toString());
		registry.add("strangler.state.dir", () -> DIR.resolve("state").toString());
		registry.add("spring.data.redis.host", redis::host);
		registry.add("spring.data.redis.port", redis::port);
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	WebTestClient admin;

	WebTestClient management;

	WebTestClient traffic;

	@BeforeEach
	void clients() {
		this.management = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.managementPort + "/actuator")
			.build();
		this.admin = this.management.mutate()
			.defaultHeaders((headers) -> headers.setBasicAuth("ops", "s3cret"))
			.build();
		this.traffic = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.port)
			.build();
		legacy.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"price\":1}")));
		target.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"price\":2}")));
	}

	@Test
	void aMismatchIsListedFromTheSharedListWithTheInstanceThatSawItAndItsPathCountedInTheEvidence() {
		this.traffic.get().uri("/api/products/7").exchange().expectStatus().isOk();

		await("the mismatch reaches Redis in a flush").atMost(TIMEOUT)
			.until(() -> !"0".equals(redis.exec("redis-cli", "LLEN", "wired:diffs:catalog")));
		this.admin.get()
			.uri("/migration/catalog/diffs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].scope")
			.isEqualTo("cluster")
			.jsonPath("$[0].instance")
			.isEqualTo("gateway-under-test")
			.jsonPath("$[0].pathWithQuery")
			.isEqualTo("/api/products/7")
			.jsonPath("$[0].differences[0].path")
			.isEqualTo("$.price")
			.jsonPath("$[0].problem")
			.doesNotExist();
		this.admin.get()
			.uri("/migration/catalog")
			.exchange()
			.expectBody()
			.jsonPath("$.evidence.scope")
			.isEqualTo("cluster")
			.jsonPath("$.evidence.topDifferingPaths[0].path")
			.isEqualTo("$.price");
	}

	@Test
	void overridesAndTheirAuditTrailGoThroughRedisAndAHangingRedisRefusesWritesWithoutStoppingTraffic() {
		post("{\"percent\":25,\"reason\":\"ramp\",\"revision\":0}").expectStatus().isOk();
		assertThat(redis.exec("redis-cli", "HGET", "wired:route-revisions", "catalog")).isEqualTo("1");
		this.admin.get()
			.uri("/migration/catalog")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.revision")
			.isEqualTo(1)
			.jsonPath("$.audit[0].reason")
			.isEqualTo("ramp");
		health().jsonPath("$.components.stateStore.status").isEqualTo("UP");

		redis.pause();
		try {
			post("{\"percent\":50}").expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.contentType("application/problem+json")
				.expectBody()
				.jsonPath("$.detail")
				.value((detail) -> assertThat((String) detail).contains("shared state store is unavailable"));
			this.traffic.get().uri("/api/products/1").exchange().expectStatus().isOk();
			this.management.get().uri("/health/readiness").exchange().expectStatus().isOk();
			health().jsonPath("$.components.stateStore.status").isEqualTo("DOWN");
		}
		finally {
			redis.unpause();
		}
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> health().jsonPath("$.components.stateStore.status").isEqualTo("UP"));
		post("{\"percent\":75,\"revision\":1}").expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec post(String body) {
		return this.admin.post()
			.uri("/migration/catalog")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange();
	}

	private WebTestClient.BodyContentSpec health() {
		return this.management.get().uri("/health").exchange().expectBody();
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("redis-state");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
