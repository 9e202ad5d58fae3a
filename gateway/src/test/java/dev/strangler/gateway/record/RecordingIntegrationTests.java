package dev.strangler.gateway.record;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
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

/**
 * Recording over real HTTP, WireMock as legacy (routes in
 * {@code routes/record/routes.yml}): what a corpus line holds, what it never holds, and
 * its size bound.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/record/", "strangler.record.routes=recorded",
				"strangler.record.headers=Accept,Authorization,Cookie,X-Tenant", "strangler.record.max-body=8B",
				"strangler.record.max-bytes=4KB" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecordingIntegrationTests {

	private static final String LEGACY_BODY = "{\"id\":1,\"name\":\"Lamp\"}";

	@TempDir
	static Path recordings;

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:1");
		registry.add("strangler.record.dir", () -> recordings.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	WebTestClient client;

	Path corpus;

	@BeforeEach
	void setUp() throws IOException {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		legacy.stubFor(any(anyUrl()).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(LEGACY_BODY)));
		this.corpus = recordings.resolve("recorded.jsonl");
	}

	@Test
	void recordsTheRequestAllowedHeadersStatusAndBodyHashButNeverCredentials() throws Exception {
		this.client.get()
			// as sent, not encoded again by a URI template
			.uri(URI.create("http://127.0.0.1:" + this.port + "/api/products/1?currency=EUR&x=%20"))
			.header(HttpHeaders.ACCEPT, "application/json")
			// the hash is of the bytes as sent: no gzip, so the test knows them
			.header(HttpHeaders.ACCEPT_ENCODING, "identity")
			.header(HttpHeaders.AUTHORIZATION, "Bearer secret-token")
			.header(HttpHeaders.COOKIE, "SESSION=secret-session")
			.header("X-Tenant", "acme")
			.header("X-Not-Listed", "private")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo(LEGACY_BODY);

		JsonNode line = awaitLine("/api/products/1");
		assertThat(line.get("route").asText()).isEqualTo("recorded");
		assertThat(line.get("method").asText()).isEqualTo("GET");
		assertThat(line.get("query").asText()).isEqualTo("currency=EUR&x=%20");
		assertThat(line.get("status").asInt()).isEqualTo(200);
		assertThat(line.get("backend").asText()).isEqualTo("legacy");
		assertThat(line.get("bodySha256").asText()).isEqualTo(sha256(LEGACY_BODY));
		assertThat(line.get("headers").fieldNames()).toIterable().containsExactlyInAnyOrder("Accept", "X-Tenant");
		String raw = Files.readString(this.corpus);
		assertThat(raw).doesNotContain("secret-token", "secret-session", "private");
	}

	@Test
	void keepsABodyUpToTheLimitAndMarksTheRestTruncated() {
		this.client.post()
			.uri("/api/products/bodies")
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("0123456789abcdef")
			.exchange()
			.expectStatus()
			.isOk();

		JsonNode line = awaitLine("/api/products/bodies");
		assertThat(line.get("body").asText()).isEqualTo("01234567");
		assertThat(line.get("bodyTruncated").asBoolean()).isTrue();
		assertThat(legacy.getAllServeEvents())
			.anySatisfy((event) -> assertThat(event.getRequest().getBodyAsString()).isEqualTo("0123456789abcdef"));
	}

	@Test
	void requestsOfRoutesNotListedAndUnroutedRequestsAreNotRecorded() throws IOException {
		this.client.get().uri("/api/customers/1").exchange().expectStatus().isOk();
		this.client.get().uri("/api/elsewhere").exchange().expectStatus().isOk();
		this.client.get().uri("/api/products/after").exchange().expectStatus().isOk();

		awaitLine("/api/products/after");
		assertThat(lines()).noneMatch((line) -> line.get("path").asText().startsWith("/api/customers")
				|| line.get("path").asText().equals("/api/elsewhere"));
	}

	// Last: it fills the file, after which nothing more is recorded.
	@Test
	@Order(Integer.MAX_VALUE)
	void stopsRecordingWhenTheFileReachesItsBoundAndCountsTheDrops() throws IOException {
		for (int i = 0; i < 40; i++) {
			this.client.get().uri("/api/products/bound-" + i).exchange().expectStatus().isOk();
		}

		await().untilAsserted(() -> assertThat(this.registry.find("strangler.record.dropped")
			.tag("route", "recorded")
			.tag("reason", "file-full")
			.counter()).isNotNull());
		assertThat(Files.size(this.corpus)).isLessThanOrEqualTo(4096);
		assertThat(lines()).allSatisfy((line) -> assertThat(line.get("route").asText()).isEqualTo("recorded"));
	}

	private static String sha256(String body) throws NoSuchAlgorithmException {
		return HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
	}

	private JsonNode awaitLine(String path) {
		return await()
			.until(() -> lines().stream().filter((line) -> line.get("path").asText().equals(path)).findFirst(),
					java.util.Optional::isPresent)
			.orElseThrow();
	}

	private List<JsonNode> lines() throws IOException {
		if (!Files.exists(this.corpus)) {
			return List.of();
		}
		ObjectMapper json = new ObjectMapper();
		return Files.readAllLines(this.corpus).stream().filter((line) -> !line.isBlank()).map((line) -> {
			try {
				return json.readTree(line);
			}
			catch (IOException ex) {
				throw new IllegalStateException("corpus line is not JSON: " + line, ex);
			}
		}).toList();
	}

}
