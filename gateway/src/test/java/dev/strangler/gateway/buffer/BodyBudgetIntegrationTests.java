package dev.strangler.gateway.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.strangler.gateway.buffer.BodyBudget.Feature;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many concurrent large uploads against a small body budget: every one is answered, the
 * ones the budget cannot hold go without replay or mirroring (and are counted), and the
 * budget is back at zero afterwards.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.buffers.max-total=4MB", "strangler.shadow.max-body=2MB",
				"strangler.resilience.max-buffered-body=2MB", "strangler.routes.poll-interval=0" })
class BodyBudgetIntegrationTests {

	static final int UPLOADS = 24;

	static final byte[] MEGABYTE = new byte[1_000_000];

	static {
		Arrays.fill(MEGABYTE, (byte) 'a');
	}

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(2 * UPLOADS + 10))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(2 * UPLOADS + 10))
		.build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path routes = Files.createTempDirectory("body-budget");
		Files.writeString(routes.resolve("uploads.yml"), """
				routes:
				  - id: uploads
				    match:
				      paths: [/uploads/**]
				    target: ${test.target-url}
				    stage: migrated
				    resilience:
				      timeout: 20s
				      retries: 1
				  - id: mirrored
				    match:
				      paths: [/mirrored/**]
				    target: ${test.target-url}
				    stage: shadow
				    shadow:
				      percent: 100
				      methods: [POST]
				      timeout: 20s
				  - id: mirrored-reads
				    match:
				      paths: [/reads/**]
				    target: ${test.target-url}
				    stage: shadow
				    shadow:
				      percent: 100
				      methods: [GET]
				      timeout: 20s
				""");
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
		registry.add("strangler.routes.location", () -> routes.toUri().toString());
		registry.add("strangler.state.dir", () -> temporaryDirectory().toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	BodyBudget budget;

	@Autowired
	MeterRegistry registry;

	@Test
	void concurrentLargeUploadsBeyondTheBudgetAreAllServedWithoutTheFeaturesThatNeededIt() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(500).withBody("legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(500).withBody("target")));
		ConnectionProvider connections = ConnectionProvider.builder("uploads").maxConnections(2 * UPLOADS).build();
		try {
			WebClient client = WebClient.builder()
				.baseUrl("http://127.0.0.1:" + this.port)
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
				.build();

			List<String> answers = Flux.range(0, 2 * UPLOADS)
				.flatMap((i) -> ((i % 2 == 0) ? client.put().uri("/uploads/" + i) : client.post().uri("/mirrored/" + i))
					.bodyValue(MEGABYTE)
					.exchangeToMono((response) -> response.bodyToMono(String.class)
						.map((body) -> response.statusCode().value() + " " + body)), 2 * UPLOADS)
				.collectList()
				.block(Duration.ofSeconds(120));

			assertThat(answers).hasSize(2 * UPLOADS);
			assertThat(answers).filteredOn("200 target"::equals).hasSize(UPLOADS);
			assertThat(answers).filteredOn("200 legacy"::equals).hasSize(UPLOADS);
			target.verify(UPLOADS, putRequestedFor(urlPathMatching("/uploads/.*")));
			legacy.verify(UPLOADS, postRequestedFor(urlPathMatching("/mirrored/.*")));
			assertThat(this.budget.refused(Feature.REPLAY)).isPositive();
			assertThat(this.budget.refused(Feature.MIRROR)).isPositive();
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.registry.get("strangler.shadow.comparisons")
					.tag("route", "mirrored")
					.tag("result", "skipped")
					.counter()
					.count()).isPositive());
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.budget.used()).isZero());
		}
		finally {
			connections.dispose();
		}
	}

	@Test
	void legacyAnswersTheBudgetCannotHoldReachTheClientWhileTheirMirrorsAreSkipped() {
		byte[] large = new byte[1_500_000];
		Arrays.fill(large, (byte) 'l');
		legacy.stubFor(any(urlPathMatching("/reads/.*")).willReturn(aResponse().withStatus(200).withBody(large)));
		target.stubFor(any(urlPathMatching("/reads/.*"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(1000).withBody(large)));
		long refusedBefore = this.budget.refused(Feature.MIRROR);
		int reads = 12;
		ConnectionProvider connections = ConnectionProvider.builder("reads").maxConnections(reads).build();
		try {
			WebClient client = WebClient.builder()
				.baseUrl("http://127.0.0.1:" + this.port)
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(2_000_000))
				.build();

			List<Integer> lengths = Flux.range(0, reads)
				.flatMap((i) -> client.get().uri("/reads/" + i).retrieve().bodyToMono(byte[].class), reads)
				.map((body) -> body.length)
				.collectList()
				.block(Duration.ofSeconds(120));

			assertThat(lengths).hasSize(reads).containsOnly(large.length);
			assertThat(this.budget.refused(Feature.MIRROR)).isGreaterThan(refusedBefore);
			// a skipped mirror is not sent at all: every read is either mirrored or
			// skipped
			Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				double skipped = this.registry.get("strangler.shadow.comparisons")
					.tag("route", "mirrored-reads")
					.tag("result", "skipped")
					.counter()
					.count();
				int mirrored = target.findAll(getRequestedFor(urlPathMatching("/reads/.*"))).size();
				assertThat(skipped).isPositive();
				assertThat(mirrored + (int) skipped).isEqualTo(reads);
			});
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(this.budget.used()).isZero());
		}
		finally {
			connections.dispose();
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("body-budget-state");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
