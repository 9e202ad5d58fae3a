package dev.strangler.gateway.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running gateway whose routes directory disappears (an unmounted volume) keeps its
 * routes, and says so in the admin API and the metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret",
				"strangler.routes.poll-interval=100ms" })
class RouteReloadIntegrationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final Path ROUTES_DIR = temporaryDirectory();

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
		Files.writeString(ROUTES_DIR.resolve("catalog.yml"), """
				routes:
				  - id: catalog
				    match:
				      paths: [/api/products/**]
				    target: ${test.target-url}
				    stage: migrated
				    resilience:
				      timeout: 20s
				      fallbackToLegacy: false
				""");
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
		registry.add("strangler.routes.location", () -> ROUTES_DIR.toUri().toString());
		registry.add("strangler.state.dir", () -> temporaryDirectory().toString());
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeterRegistry registry;

	@Test
	void aRemovedRoutesDirectoryKeepsTheMigratedRouteOnTheTargetAndIsReported() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
		WebTestClient traffic = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.port)
			.build();
		WebTestClient admin = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.managementPort + "/actuator/migration")
			.defaultHeaders((headers) -> headers.setBasicAuth("ops", "s3cret"))
			.build();
		traffic.get().uri("/api/products/1").exchange().expectBody(String.class).isEqualTo("from target");

		FileSystemUtils.deleteRecursively(ROUTES_DIR.toFile());

		Awaitility.await()
			.atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(this.registry.get(ReloadMetrics.FAILING).gauge().value()).isEqualTo(1));
		admin.get()
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.lastReloadError.message")
			.value((message) -> assertThat((String) message).contains("does not exist"))
			.jsonPath("$.routes[0].id")
			.isEqualTo("catalog");
		assertThat(this.registry.get(ReloadMetrics.RELOADS).tag("result", "failure").counter().count())
			.isGreaterThanOrEqualTo(1);
		traffic.get()
			.uri("/api/products/2")
			.exchange()
			.expectHeader()
			.valueEquals("X-Strangler-Backend", "target")
			.expectBody(String.class)
			.isEqualTo("from target");
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("route-reload");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
