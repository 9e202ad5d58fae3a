package dev.strangler.gateway.progression;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.OverrideSettings;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.RouteOverride;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller in a running gateway, WireMock as legacy and target, decisions every
 * second: the route goes from shadow to a canary step on real comparisons, then the
 * target degrades and the progression rolls the route back, audited with the gate.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret", "strangler.routes.poll-interval=0",
				"strangler.evidence.bucket=1s" })
class ProgressionIntegrationTests {

	static final String ROUTES = """
			routes:
			  - id: catalog
			    match:
			      paths: [/api/products/**]
			    target: ${test.target-url}
			    stage: legacy
			    progression:
			      interval: 1s
			      steps:
			        - stage: shadow
			          hold: 1s
			          minComparisons: 5
			        - percent: 50
			          hold: 30s
			        - stage: migrated
			      gates:
			        minRequests: 5
			      failureLimit: 2
			      inconclusiveLimit: 1000
			    resilience:
			      # the gate, not the circuit breaker, must see the target degrade
			      failureRateThreshold: 90
			""";

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final Path ROUTES_DIR = temporaryDirectory("routes");

	static final Path STATE_DIR = temporaryDirectory("state");

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		try {
			Files.writeString(ROUTES_DIR.resolve("routes.yml"), ROUTES);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
		registry.add("strangler.routes.location", () -> ROUTES_DIR.toUri().toString());
		registry.add("strangler.state.dir", STATE_DIR::toString);
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	OverrideStore overrides;

	@Autowired
	AuditLog audit;

	@Test
	void aTargetThatStartsFailingAtTheCanaryStepIsRolledBackAuditedWithTheGate() {
		WebTestClient traffic = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.port)
			.build();
		WebTestClient admin = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.managementPort + "/actuator/migration")
			.defaultHeaders((headers) -> headers.setBasicAuth("ops", "s3cret"))
			.build();
		legacy.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\":1}")));
		target.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\":1}")));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			load(traffic);
			assertThat(override()).contains(settings(Stage.CANARY, "50"));
		});
		// One request in five fails: far under the circuit's threshold, far over the
		// gate.
		target
			.stubFor(any(urlPathMatching("/api/products/[0-3]")).atPriority(1).willReturn(aResponse().withStatus(500)));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			load(traffic);
			assertThat(override()).contains(settings(Stage.SHADOW, "0"));
		});
		AuditEntry rollback = this.audit.recent("catalog", 1).get(0);
		assertThat(rollback.who()).isEqualTo("progression");
		assertThat(rollback.reason()).startsWith("rolled back to shadow: gate failed 2 interval(s) in a row at step 2")
			// The target's 500s show as shadow mismatches (legacy's share is mirrored to
			// it) or as its own errors: either gate is a right reason.
			.containsPattern("(maxMismatchRate|maxErrorRateOverLegacy): ");
		admin.get()
			.uri("/catalog")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.progression.phase")
			.isEqualTo("rolled-back")
			.jsonPath("$.progression.step")
			.isEqualTo(2)
			.jsonPath("$.progression.intervals[-1:].result")
			.isEqualTo("FAIL")
			.jsonPath("$.progression.intervals[-1:].gate")
			.value((gate) -> assertThat(gate.toString()).containsAnyOf("maxMismatchRate", "maxErrorRateOverLegacy"));
		admin.post()
			.uri("/catalog/progression/pause")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("the progression is rolled-back, so it cannot be paused");
		admin.post()
			.uri("/catalog/progression/abort")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.phase")
			.isEqualTo("aborted");
		assertThat(this.audit.recent("catalog", 1).get(0).reason())
			.isEqualTo("aborted at step 2 of 3 (canary 50%): by ops");
	}

	@Test
	void progressionCommandsNeedCredentialsAndAKnownRouteWithAProgression() {
		WebTestClient anonymous = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.managementPort + "/actuator/migration")
			.build();
		anonymous.post().uri("/catalog/progression/pause").exchange().expectStatus().isUnauthorized();
		WebTestClient admin = anonymous.mutate()
			.defaultHeaders((headers) -> headers.setBasicAuth("ops", "s3cret"))
			.build();
		admin.post()
			.uri("/nope/progression/pause")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		admin.post().uri("/catalog/progression/jump").exchange().expectStatus().isNotFound();
	}

	private static void load(WebTestClient traffic) {
		// A bounded batch per poll: enough requests for minRequests in every interval.
		for (int i = 0; i < 20; i++) {
			traffic.get().uri("/api/products/" + i).exchange();
		}
	}

	private Optional<OverrideSettings> override() {
		return this.overrides.snapshot().get("catalog").map(RouteOverride::settings);
	}

	private static OverrideSettings settings(Stage stage, String percent) {
		return new OverrideSettings(Optional.of(stage), Optional.of(Percent.parse(percent)));
	}

	private static Path temporaryDirectory(String name) {
		try {
			Path dir = Files.createTempDirectory("progression-" + name);
			dir.toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
