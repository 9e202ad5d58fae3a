package dev.strangler.gateway.headers;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.headers.GRPCRequestHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveXForwardedHeadersFilter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Forwarded headers over real HTTP, with WireMock as legacy and target (routes in
 * {@code routes/forwarded/routes.yml}). The test client always connects from 127.0.0.1.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/forwarded/",
				"strangler.shadow.noise-detection.sample-percent=0" })
class ForwardedHeadersIntegrationTests {

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

	@BeforeEach
	void stubBackends() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
	}

	static LoggedRequest onlyRequest(WireMockExtension backend) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> backend.findAll(anyRequestedFor(anyUrl())), (requests) -> !requests.isEmpty())
			.get(0);
	}

	static WebTestClient client(int port) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@Nested
	@TestPropertySource(properties = "strangler.rollout.trusted-proxies=10.0.0.0/8")
	class FromAnUntrustedPeer {

		@LocalServerPort
		int port;

		@Autowired
		List<HttpHeadersFilter> headersFilters;

		@Test
		void springCloudGatewaysForwardingRemoversAreTakenOutForTheKeeper() {
			assertThat(this.headersFilters)
				.noneMatch((filter) -> filter instanceof RemoveForwardedHeadersFilter
						|| filter instanceof RemoveXForwardedHeadersFilter)
				.anyMatch(ForwardingHeadersKeeper.class::isInstance)
				.anyMatch(SinglePassHopByHopHeadersFilter.class::isInstance)
				.noneMatch((filter) -> filter.getClass() == RemoveHopByHopHeadersFilter.class);
		}

		@Test
		void onlyAGrpcRequestGetsSpringCloudGatewaysTeTrailers() {
			assertThat(this.headersFilters).anyMatch(GrpcOnlyRequestHeadersFilter.class::isInstance)
				.noneMatch((filter) -> filter.getClass() == GRPCRequestHeadersFilter.class);
			client(this.port).post()
				.uri("/plain")
				.header("Content-Type", "application/grpc")
				.bodyValue("grpc")
				.exchange()
				.expectStatus()
				.isOk();
			assertThat(onlyRequest(legacy).getHeader("te")).isEqualTo("trailers");
			legacy.resetRequests();

			client(this.port).post()
				.uri("/plain")
				.header("Content-Type", "application/json")
				.bodyValue("{}")
				.exchange()
				.expectStatus()
				.isOk();
			assertThat(onlyRequest(legacy).containsHeader("te")).isFalse();
		}

		@Test
		void aDirectClientIsNamedToTheMonolith() {
			client(this.port).get().uri("/plain").exchange().expectStatus().isOk();

			LoggedRequest received = onlyRequest(legacy);
			assertThat(received.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
			assertThat(received.getHeader("X-Forwarded-Proto")).isEqualTo("http");
			assertThat(received.getHeader("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + this.port);
			assertThat(received.getHeader("X-Forwarded-Port")).isEqualTo(String.valueOf(this.port));
			assertThat(received.containsHeader("Forwarded")).isFalse();
		}

		@Test
		void whatTheClientClaimsIsReplaced() {
			client(this.port).get()
				.uri("/plain")
				.header("X-Forwarded-For", "203.0.113.9")
				.header("X-Forwarded-Proto", "https")
				.header("X-Forwarded-Host", "bank.example")
				.header("X-Forwarded-Port", "443")
				.header("X-Forwarded-Prefix", "/admin")
				.header("Forwarded", "for=203.0.113.9")
				.exchange()
				.expectStatus()
				.isOk();

			LoggedRequest received = onlyRequest(legacy);
			assertThat(received.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
			assertThat(received.getHeader("X-Forwarded-Proto")).isEqualTo("http");
			assertThat(received.getHeader("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + this.port);
			assertThat(received.getHeader("X-Forwarded-Port")).isEqualTo(String.valueOf(this.port));
			assertThat(received.containsHeader("X-Forwarded-Prefix")).isFalse();
			assertThat(received.containsHeader("Forwarded")).isFalse();
		}

		@Test
		void theTargetSeesWhatTheMonolithWouldSee() {
			client(this.port).get()
				.uri("/api/orders/1")
				.header("X-Forwarded-For", "203.0.113.9")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.isEqualTo("from target");

			LoggedRequest received = onlyRequest(target);
			assertThat(received.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
			assertThat(received.getHeader("X-Forwarded-Proto")).isEqualTo("http");
			assertThat(received.getHeader("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + this.port);
		}

		@Test
		void aShadowMirrorSeesWhatTheMonolithSees() {
			client(this.port).get()
				.uri("/api/products/1")
				.header("X-Forwarded-For", "203.0.113.9")
				.exchange()
				.expectStatus()
				.isOk();

			LoggedRequest served = onlyRequest(legacy);
			LoggedRequest mirrored = onlyRequest(target);
			assertThat(served.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
			for (String name : new String[] { "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
					"X-Forwarded-Port" }) {
				assertThat(mirrored.getHeader(name)).as(name).isEqualTo(served.getHeader(name));
			}
		}

	}

	@Nested
	@TestPropertySource(properties = { "strangler.rollout.trusted-proxies=127.0.0.1",
			"strangler.forwarding.forwarded-header=true" })
	class FromATrustedProxy {

		@LocalServerPort
		int port;

		@Test
		void theProxysClientIsKeptAndTheProxyAppended() {
			client(this.port).get()
				.uri("/plain")
				.header("X-Forwarded-For", "203.0.113.9")
				.header("X-Forwarded-Proto", "https")
				.header("X-Forwarded-Host", "shop.example")
				.header("X-Forwarded-Port", "443")
				.exchange()
				.expectStatus()
				.isOk();

			LoggedRequest received = onlyRequest(legacy);
			assertThat(received.getHeader("X-Forwarded-For")).isEqualTo("203.0.113.9, 127.0.0.1");
			assertThat(received.getHeader("X-Forwarded-Proto")).isEqualTo("https");
			assertThat(received.getHeader("X-Forwarded-Host")).isEqualTo("shop.example");
			assertThat(received.getHeader("X-Forwarded-Port")).isEqualTo("443");
		}

		@Test
		void theForwardedHeaderIsKeptAndAppendedTo() {
			client(this.port).get()
				.uri("/plain")
				.header("Forwarded", "for=203.0.113.9;proto=https")
				.exchange()
				.expectStatus()
				.isOk();

			LoggedRequest received = onlyRequest(legacy);
			assertThat(received.getHeader("Forwarded")).isEqualTo(
					"for=203.0.113.9;proto=https, for=127.0.0.1;proto=http;host=\"127.0.0.1:" + this.port + "\"");
			assertThat(received.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
		}

		@Test
		void theTargetAndAShadowMirrorSeeTheSameChain() {
			client(this.port).get()
				.uri("/api/products/1")
				.header("X-Forwarded-For", "198.51.100.4, 203.0.113.9")
				.exchange()
				.expectStatus()
				.isOk();

			LoggedRequest served = onlyRequest(legacy);
			LoggedRequest mirrored = onlyRequest(target);
			assertThat(served.getHeader("X-Forwarded-For")).isEqualTo("198.51.100.4, 203.0.113.9, 127.0.0.1");
			assertThat(mirrored.getHeader("X-Forwarded-For")).isEqualTo(served.getHeader("X-Forwarded-For"));
			assertThat(mirrored.getHeader("Forwarded")).isEqualTo(served.getHeader("Forwarded"));
		}

	}

}
