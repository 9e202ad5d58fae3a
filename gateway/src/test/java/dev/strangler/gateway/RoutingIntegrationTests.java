package dev.strangler.gateway;

import java.net.URI;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.cloud.gateway.filter.WeightCalculatorWebFilter;
import org.springframework.cloud.gateway.handler.RoutePredicateHandlerMapping;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import dev.strangler.testsupport.Ports;

/**
 * The gateway over real HTTP, with WireMock as legacy and target (routes in
 * {@code routes/integration/routes.yml}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"management.server.address=127.0.0.1", "strangler.routes.location=classpath:routes/integration/" })
class RoutingIntegrationTests {

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
		registry.add("test.dead-url", () -> "http://127.0.0.1:" + Ports.closed());
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	RoutePredicateHandlerMapping handlerMapping;

	WebTestClient client;

	@BeforeEach
	void stubBackends() {
		this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
	}

	@Autowired
	ApplicationContext context;

	@Test
	void springCloudGatewaysRouteLookupIsTheOneWithABoundedBuffer() {
		assertThat(this.handlerMapping.getClass().getSimpleName()).isEqualTo("SmallBufferRouteLookup");
	}

	@Test
	void noWeightFilterPutsAnEmptyWeightsMapOnEveryRequest() {
		assertThat(this.context.getBeanNamesForType(WeightCalculatorWebFilter.class)).isEmpty();
	}

	@Test
	void legacyStageRouteIsServedByLegacyAndNamesRouteAndBackend() {
		this.client.get()
			.uri("/api/products/42?page=2")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Strangler-Route", "catalog-legacy")
			.expectHeader()
			.valueEquals("X-Strangler-Backend", "legacy")
			.expectBody(String.class)
			.isEqualTo("from legacy");
		legacy.verify(getRequestedFor(urlEqualTo("/api/products/42?page=2")));
		assertThat(target.getAllServeEvents()).isEmpty();
	}

	@Test
	void migratedRouteIsServedByTargetUnderItsBasePath() {
		this.client.get()
			.uri("/api/orders/7?expand=lines")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Strangler-Route", "orders-migrated")
			.expectHeader()
			.valueEquals("X-Strangler-Backend", "target")
			.expectBody(String.class)
			.isEqualTo("from target");
		target.verify(getRequestedFor(urlEqualTo("/svc/api/orders/7?expand=lines")));
		assertThat(legacy.getAllServeEvents()).isEmpty();
	}

	@Test
	void unmatchedPathGoesToLegacyWithMethodQueryHeadersAndBodyIntact() {
		this.client.post()
			// A URI, not a template: the query stays encoded exactly as sent.
			.uri(URI.create("http://127.0.0.1:" + this.port + "/cart/items?coupon=two%20words&x=1"))
			.header("X-Custom", "kept")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"sku\":\"A-1\",\"qty\":2}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("X-Strangler-Route")
			.expectHeader()
			.doesNotExist("X-Strangler-Backend")
			// Spring Security's default response headers would break transparency.
			.expectHeader()
			.doesNotExist("Cache-Control")
			.expectHeader()
			.doesNotExist("X-Frame-Options");
		legacy.verify(postRequestedFor(urlEqualTo("/cart/items?coupon=two%20words&x=1"))
			.withHeader("X-Custom", equalTo("kept"))
			.withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("{\"sku\":\"A-1\",\"qty\":2}")));
		assertThat(target.getAllServeEvents()).isEmpty();
	}

	@Test
	void basicCredentialsForTheMonolithPassThroughUntouched() {
		// The monolith's own users, not the gateway's admin: the gateway must not try
		// them.
		this.client.get()
			.uri("/account")
			.header("Authorization", "Basic bW9ub2xpdGgtdXNlcjpzZWNyZXQ=")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("from legacy");
		legacy.verify(getRequestedFor(urlEqualTo("/account")).withHeader("Authorization",
				equalTo("Basic bW9ub2xpdGgtdXNlcjpzZWNyZXQ=")));
	}

	@Test
	void methodTheRouteDoesNotClaimGoesToLegacyUnchanged() {
		this.client.delete()
			.uri("/api/products/42")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("X-Strangler-Route");
		legacy.verify(deleteRequestedFor(urlEqualTo("/api/products/42")));
	}

	@Test
	void clientStranglerHeadersAreStrippedBeforeForwarding() {
		this.client.get()
			.uri("/api/products/1")
			.header("X-Strangler-Backend", "target")
			.header("x-strangler-shadow", "true")
			.header("X-Other", "kept")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Strangler-Backend", "legacy");
		LoggedRequest forwarded = legacy.findAll(anyRequestedFor(anyUrl())).get(0);
		assertThat(forwarded.getAllHeaderKeys()).noneMatch((name) -> name.toLowerCase().startsWith("x-strangler-"))
			.contains("X-Other");
	}

	@Test
	void forcedBackendHeaderIsIgnoredAndStrippedWhenForcingIsNotEnabled() {
		this.client.get()
			.uri("/api/products/1")
			.header("X-Strangler-Force-Backend", "target")
			.header("X-Strangler-Force-Token", "any-token-at-all-of-some-length")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Strangler-Backend", "legacy")
			.expectBody(String.class)
			.isEqualTo("from legacy");
		assertThat(target.getAllServeEvents()).isEmpty();
		LoggedRequest forwarded = legacy.findAll(anyRequestedFor(anyUrl())).get(0);
		assertThat(forwarded.getAllHeaderKeys()).noneMatch((name) -> name.toLowerCase().startsWith("x-strangler-"));
	}

	/**
	 * Paths Spring Security's strict firewall would reject with an empty 400, though RFC
	 * 3986 allows them, they are already normal and no backend reads them as another
	 * path. They must reach the backend byte for byte.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/files/a%3Bb", "/files/100%25", "/files/caf%C3%A9%20noir", "/.well-known/a.b",
			"/files/x?q=a%2Fb%3B&p=..%2F" })
	void unusualButValidPathsReachLegacyUnchanged(String pathAndQuery) {
		this.client.get()
			.uri(URI.create("http://127.0.0.1:" + this.port + pathAndQuery))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("from legacy");
		assertThat(legacy.findAll(anyRequestedFor(anyUrl()))).singleElement()
			.extracting(LoggedRequest::getUrl)
			.isEqualTo(pathAndQuery);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/orders/a%3Bb", "/api/orders/100%25", "/api/orders/7?q=a%2Fb" })
	void unusualPathsOfAMigratedRouteReachTheTargetUnchanged(String path) {
		this.client.get()
			.uri(URI.create("http://127.0.0.1:" + this.port + path))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Strangler-Route", "orders-migrated")
			.expectBody(String.class)
			.isEqualTo("from target");
		assertThat(target.findAll(anyRequestedFor(anyUrl()))).singleElement()
			.extracting(LoggedRequest::getUrl)
			.isEqualTo("/svc" + path);
	}

	@Test
	void healthShowsNoDiscoveryComponents() {
		// The gateway uses no service discovery: Spring Cloud's discovery indicators
		// would
		// only show "Discovery Client not initialized" as UNKNOWN.
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			// the first call probes every backend, slow on a busy machine
			.responseTimeout(Duration.ofSeconds(30))
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("\"status\":\"UP\"")
				.doesNotContainIgnoringCase("discovery")
				.doesNotContain("UNKNOWN"));
	}

	@Test
	void withoutAnAdminPasswordEvenReadingTheAdminApiIsRefused() {
		// This context sets no strangler.admin.password.
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		management.get().uri("/actuator/migration").exchange().expectStatus().isUnauthorized();
		management.get()
			.uri("/actuator/migration")
			.headers((headers) -> headers.setBasicAuth("admin", ""))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		management.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@Test
	void theManagementPortKeepsTheStrictFirewallAndRejectsWithAProblem() {
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		management.get()
			.uri(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator;x=1/health"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.detail")
			.isEqualTo("The request was rejected by the gateway's firewall");
	}

	@Test
	void backendCannotSpoofTheRouteHeaders() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
			.withHeader("X-Strangler-Route", "spoofed")
			.withHeader("X-Strangler-Backend", "target")));
		this.client.get()
			.uri("/api/products")
			.exchange()
			.expectHeader()
			.valueEquals("X-Strangler-Route", "catalog-legacy")
			.expectHeader()
			.valueEquals("X-Strangler-Backend", "legacy");
	}

	@Test
	void unreachableTargetIsABadGatewayProblem() {
		this.client.get()
			.uri("/api/dead/1")
			.exchange()
			.expectStatus()
			.isEqualTo(502)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(502)
			.jsonPath("$.route")
			.isEqualTo("dead-target")
			.jsonPath("$.backend")
			.isEqualTo("target")
			.jsonPath("$.instance")
			.isEqualTo("/api/dead/1");
	}

	@Test
	void healthAndPrometheusAreOpenOnTheManagementPortOtherEndpointsAreNot() {
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		management.get().uri("/actuator/health").exchange().expectStatus().isOk();
		management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		management.get().uri("/actuator").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void actuatorPathsOnTheMainPortBelongToLegacy() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("from legacy");
	}

}
