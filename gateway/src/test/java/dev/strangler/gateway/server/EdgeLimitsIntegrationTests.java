package dev.strangler.gateway.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Locale;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.support.RawHttpConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.web.ServerProperties;
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
 * What a client gets for a request the edge refuses before any route sees it: a request
 * line, headers or a body over the limits, a head that is not HTTP. Raw sockets, so the
 * requests go exactly as written; the JDK's HTTP client for an upload as browsers and
 * services send it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/path/", "strangler.edge.max-request-body=64KB" })
class EdgeLimitsIntegrationTests {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

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

	@Autowired
	MeterRegistry meters;

	@Autowired
	ServerProperties server;

	@Autowired
	EdgeProperties edge;

	@BeforeEach
	void stubBackends() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
	}

	@Test
	void aRequestLineOverTheLimitIsRefusedWith414AndAProblemNamingTheLimit() throws IOException {
		RawHttpConnection.Response response = exchange(RawHttpConnection.get("/orders/" + "a".repeat(5000)));

		assertProblem(response, 414, "4KB", "server.netty.max-initial-line-length");
		assertThat(this.meters.counter("strangler.edge.rejected", "status", "414").count()).isPositive();
	}

	@Test
	void headersOverTheLimitAreRefusedWith431AndAProblemNamingTheLimit() throws IOException {
		RawHttpConnection.Response response = exchange(
				RawHttpConnection.get("/orders/1", "X-Padding: " + "a".repeat(9000)));

		assertProblem(response, 431, "8KB", "server.max-http-request-header-size");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Content-Length: abc", "Content-Length: 1, 2", "Bad Header : x", "Te\u0001st: x" })
	void aMalformedRequestIsRefusedWith400AndAProblem(String headerLine) throws IOException {
		RawHttpConnection.Response response = exchange(RawHttpConnection.get("/orders/1", headerLine));

		assertProblem(response, 400, "not well-formed HTTP/1.1");
	}

	@Test
	void aContentLengthOverTheLimitIsRefusedWith413BeforeAnyBodyIsSent() throws IOException {
		RawHttpConnection.Response response = exchange("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				+ "Content-Type: application/octet-stream\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n");

		assertProblem(response, 413, "64KB", "strangler.edge.max-request-body");
		assertThat(response.head()).doesNotContain("100 Continue");
	}

	@Test
	void aChunkedBodyIsRefusedWith413OnceItGrowsOverTheLimit() throws IOException {
		String chunk = Integer.toHexString(32 * 1024) + "\r\n" + "a".repeat(32 * 1024) + "\r\n";
		RawHttpConnection.Response response = exchange(
				"POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(3)
						+ "0\r\n\r\n");

		assertProblem(response, 413, "64KB", "strangler.edge.max-request-body");
	}

	@Test
	void anUploadOverTheLimitFromAnHttpClientGets413() throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest upload = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/orders"))
			.timeout(READ_TIMEOUT)
			.POST(BodyPublishers.ofByteArray(new byte[1024 * 1024]))
			.build();

		HttpResponse<String> response = client.send(upload, BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("64KB");
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	@Test
	void bodiesUpToTheLimitPassAndTheConnectionServesTheNextRequest() throws IOException {
		String body = "b".repeat(64 * 1024);
		String chunk = Integer.toHexString(32 * 1024) + "\r\n" + "c".repeat(32 * 1024) + "\r\n";
		try (RawHttpConnection connection = new RawHttpConnection(this.port, READ_TIMEOUT)) {
			connection.send(
					"POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
			assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 200").endsWith("from legacy");
			connection.send("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ chunk.repeat(2) + "0\r\n\r\n");
			assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 200").endsWith("from legacy");
			connection.send(RawHttpConnection.get("/orders/1"));
			assertThat(connection.readResponse().text()).startsWith("HTTP/1.1 200").endsWith("from legacy");
		}
		assertThat(legacy.findAll(anyRequestedFor(anyUrl()))).extracting(LoggedRequest::getBody)
			.extracting((bytes) -> bytes.length)
			.containsExactly(64 * 1024, 64 * 1024, 0);
	}

	@Test
	void idleKeepAliveConnectionsAreClosedAfter75SecondsAndRequestHeadsBoundedTo10ByDefault() {
		assertThat(this.edge.idleTimeout()).isEqualTo(Duration.ofSeconds(75));
		assertThat(this.edge.requestHeadTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.server.getNetty().getIdleTimeout()).as("Reactor Netty's own idle timeout, replaced").isNull();
	}

	private RawHttpConnection.Response exchange(String request) throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.port, READ_TIMEOUT)) {
			connection.send(request);
			return connection.readResponse();
		}
	}

	private static void assertProblem(RawHttpConnection.Response response, int status, String... detailParts) {
		assertThat(response.head()).startsWith("HTTP/1.1 " + status + " ");
		String head = response.head().toLowerCase(Locale.ROOT);
		assertThat(head).contains("content-type: application/problem+json").contains("connection: close");
		assertThat(response.body()).contains("\"status\":" + status).contains(detailParts);
		assertThat(legacy.getAllServeEvents()).isEmpty();
		assertThat(target.getAllServeEvents()).isEmpty();
	}

}
