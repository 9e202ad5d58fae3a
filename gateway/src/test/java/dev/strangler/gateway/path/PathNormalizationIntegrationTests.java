package dev.strangler.gateway.path;

import java.io.IOException;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.support.RawHttpConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path spellings against a migrated {@code /api/products/**} route, sent byte for byte
 * over a raw socket (an HTTP client might tidy them up first).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"management.server.address=127.0.0.1", "strangler.routes.location=classpath:routes/path/" })
class PathNormalizationIntegrationTests {

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
	}

	@LocalServerPort
	int port;

	@BeforeEach
	void stubBackends() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
	}

	@Test
	void dotSegmentsLeavingTheRouteAreRoutedByTheNormalizedPath() throws IOException {
		RawHttpConnection.Response response = get("/api/products/../orders/1");

		assertThat(response.head()).startsWith("HTTP/1.1 200");
		assertThat(response.body()).isEqualTo("from legacy");
		assertThat(target.getAllServeEvents()).isEmpty();
		assertThat(legacy.findAll(anyRequestedFor(anyUrl()))).singleElement()
			.extracting(LoggedRequest::getUrl)
			.isEqualTo("/api/orders/1");
	}

	@ParameterizedTest
	@CsvSource({ "/api/products/1/../2?x=1, /api/products/2?x=1", "//api//products/./3, /api/products/3",
			"/api/../api/products/4, /api/products/4" })
	void theTargetReceivesTheNormalizedPath(String sent, String received) throws IOException {
		RawHttpConnection.Response response = get(sent);

		assertThat(response.body()).isEqualTo("from target");
		assertThat(target.findAll(anyRequestedFor(anyUrl()))).singleElement()
			.extracting(LoggedRequest::getUrl)
			.isEqualTo(received);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/products/%2e%2e/orders/1", "/api/products/..%2Forders/1",
			"/api/products/%2E%2E%2Forders/1", "/api/products/..;/orders/1", "/api/products/%5C..%5Corders/1",
			"/api/orders/%2e%2e/x", "/../api/orders/1", "/api/cart;jsessionid=abc/items", "/files/a%2Fb" })
	void spellingsThatCannotBeNormalizedSafelyAreRefusedWithAProblem(String path) throws IOException {
		RawHttpConnection.Response response = get(path);

		assertThat(response.head()).startsWith("HTTP/1.1 400");
		assertThat(response.head().toLowerCase()).contains("content-type: application/problem+json");
		assertThat(response.body()).contains("\"status\":400");
		assertThat(target.getAllServeEvents()).isEmpty();
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	private RawHttpConnection.Response get(String path) throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.port, Duration.ofSeconds(10))) {
			connection.send(RawHttpConnection.get(path));
			return connection.readResponse();
		}
	}

}
