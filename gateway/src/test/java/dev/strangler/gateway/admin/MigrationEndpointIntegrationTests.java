package dev.strangler.gateway.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.strangler.gateway.control.RouteControl;
import dev.strangler.gateway.route.RouteFileLoader;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.FileOverrideStore;
import dev.strangler.gateway.state.JsonLinesAuditLog;
import dev.strangler.gateway.state.OverrideStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin API on the management port, over real HTTP, with WireMock as legacy and
 * target and route files in a temporary directory that tests rewrite.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret",
				// Reloads are triggered by the tests; RouteFilePollerTests covers
				// polling.
				"strangler.routes.poll-interval=0" })
class MigrationEndpointIntegrationTests {

	static final String ROUTES = """
			routes:
			  - id: catalog
			    description: Product catalog
			    match:
			      paths: [/api/products/**]
			    target: ${test.target-url}
			    stage: legacy
			    rollout:
			      stickyBy: header:X-User-Id
			    cache:
			      ttl: 30s
			  - id: orders
			    match:
			      paths: [/api/orders/**]
			    target: ${test.target-url}
			    stage: legacy
			  - id: legacy-only
			    match:
			      paths: [/api/legacy/**]
			    stage: legacy
			""";

	// Generous: the first requests of a cold context on a busy machine are slow.
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
		writeRoutes(ROUTES);
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
	OverrideStore store;

	@Autowired
	RouteTableHolder routes;

	@Autowired
	MeterRegistry registry;

	@Autowired
	RouteFileLoader loader;

	WebTestClient traffic;

	WebTestClient admin;

	WebTestClient anonymous;

	@BeforeEach
	void clients() {
		this.traffic = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.port)
			.build();
		this.anonymous = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.managementPort + "/actuator/migration")
			.build();
		this.admin = this.anonymous.mutate().defaultHeaders((headers) -> headers.setBasicAuth("ops", "s3cret")).build();
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
	}

	@AfterEach
	void restoreRoutesAndClearOverrides() {
		writeRoutes(ROUTES);
		postReload(this.admin).expectStatus().isOk();
		for (String routeId : this.store.snapshot().overrides().keySet()) {
			this.store.clear(routeId, Actor.automatic("test-cleanup"), "");
		}
	}

	@Test
	void requestsWithoutCredentialsAreRejected() {
		this.anonymous.get()
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals("WWW-Authenticate", "Basic realm=\"strangler-admin\"")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401)
			.jsonPath("$.detail")
			.value((detail) -> assertThat((String) detail).contains("STRANGLER_ADMIN_PASSWORD"));
		postJson(this.anonymous, "/catalog", "{\"stage\":\"migrated\"}").expectStatus().isUnauthorized();
		assertThat(stageInForce("catalog")).isEqualTo(Stage.LEGACY);
	}

	@Test
	void requestsWithAWrongPasswordAreRejected() {
		WebTestClient wrong = this.anonymous.mutate()
			.defaultHeaders((headers) -> headers.setBasicAuth("ops", "guess"))
			.build();
		wrong.get().exchange().expectStatus().isUnauthorized();
		postJson(wrong, "/catalog", "{\"stage\":\"migrated\"}").expectStatus().isUnauthorized();
		assertThat(stageInForce("catalog")).isEqualTo(Stage.LEGACY);
	}

	@Test
	void healthAndPrometheusStayOpen() {
		WebTestClient management = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		management.get().uri("/actuator/health").exchange().expectStatus().isOk();
		management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
	}

	@Test
	void listsEveryRouteWithConfiguredAndEffectiveSettingsBackendsAndStats() {
		this.traffic.get().uri("/api/orders/1").exchange().expectStatus().isOk();
		this.admin.get()
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.routes[*].id")
			.isEqualTo(List.of("catalog", "orders", "legacy-only"))
			.jsonPath("$.routes[1].configured.stage")
			.isEqualTo("legacy")
			.jsonPath("$.routes[1].effective.percent")
			.isEqualTo(0)
			.jsonPath("$.routes[1].override")
			.isEmpty()
			.jsonPath("$.routes[1].backends.legacy")
			.isEqualTo("http://127.0.0.1:" + legacy.getPort())
			.jsonPath("$.routes[1].backends.target")
			.isEqualTo("http://127.0.0.1:" + target.getPort())
			.jsonPath("$.routes[1].stats.requests.legacy.count")
			.value((Integer count) -> assertThat(count).isPositive())
			.jsonPath("$.routes[1].stats.requests.target.count")
			.isEqualTo(0)
			.jsonPath("$.routes[1].stats.shadow.compared")
			.isEqualTo(0)
			.jsonPath("$.lastReloadError")
			.isEmpty()
			.jsonPath("$.orphanedOverrides")
			.isEmpty();
	}

	@Test
	void oneRouteShowsTheEvidenceOfItsLastWindowWithTheFileStoreThisInstances() {
		for (int i = 0; i < 3; i++) {
			this.traffic.get().uri("/api/orders/1").exchange().expectStatus().isOk();
		}
		// the counts reach the evidence with the next flush, within a second
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.admin.get()
				.uri("/orders")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.evidence.scope")
				.isEqualTo("instance")
				.jsonPath("$.evidence.problem")
				.isEmpty()
				.jsonPath("$.evidence.requests.legacy.count")
				.value((Integer count) -> assertThat(count).isGreaterThanOrEqualTo(3))
				.jsonPath("$.evidence.requests.legacy.p99Millis")
				.value((Double p99) -> assertThat(p99).isPositive())
				.jsonPath("$.evidence.requests.target.count")
				.isEqualTo(0)
				.jsonPath("$.evidence.requests.target.p99Millis")
				.isEmpty()
				.jsonPath("$.evidence.shadow.compared")
				.isEqualTo(0));
	}

	@Test
	void oneRouteShowsItsOverrideAndAuditTrail() {
		postJson(this.admin, "/orders", "{\"stage\":\"canary\",\"percent\":25,\"reason\":\"ramp up\"}").expectStatus()
			.isOk();
		this.admin.get()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo("orders")
			.jsonPath("$.configured.stage")
			.isEqualTo("legacy")
			.jsonPath("$.effective.stage")
			.isEqualTo("canary")
			.jsonPath("$.effective.percent")
			.isEqualTo(25)
			.jsonPath("$.override.who")
			.isEqualTo("ops")
			.jsonPath("$.override.reason")
			.isEqualTo("ramp up")
			.jsonPath("$.audit[0].action")
			.isEqualTo("set")
			.jsonPath("$.audit[0].who")
			.isEqualTo("ops")
			.jsonPath("$.audit[0].after.stage")
			.isEqualTo("canary");
	}

	@Test
	void aChangeBasedOnAStaleRevisionIsAConflictProblemWithTheCurrentState() {
		long revision = this.store.snapshot().revision("orders");
		postJson(this.admin, "/orders", "{\"stage\":\"canary\",\"percent\":10,\"revision\":" + revision + "}")
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.revision")
			.isEqualTo(revision + 1);
		postJson(this.admin, "/orders", "{\"percent\":90,\"revision\":" + revision + "}").expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.revision")
			.isEqualTo(revision + 1)
			.jsonPath("$.override.percent")
			.isEqualTo(10)
			.jsonPath("$.detail")
			.value((detail) -> assertThat((String) detail).contains("changed in between"));
		this.admin.delete().uri("/orders?revision=" + revision).exchange().expectStatus().isEqualTo(409);
		assertThat(this.store.snapshot().get("orders").flatMap((override) -> override.percent()))
			.hasValueSatisfying((percent) -> assertThat(percent.value()).isEqualByComparingTo("10"));
		postJson(this.admin, "/orders", "{\"percent\":20,\"revision\":\"soon\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.field")
			.isEqualTo("revision");
	}

	@Test
	void anUnknownRouteIsANotFoundProblem() {
		this.admin.get()
			.uri("/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(404)
			.jsonPath("$.route")
			.isEqualTo("nope");
		postJson(this.admin, "/nope", "{\"stage\":\"canary\"}").expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.admin.delete()
			.uri("/nope")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void diffsOfAKnownRouteAreAnEmptyListForNow() {
		this.admin.get().uri("/catalog/diffs").exchange().expectStatus().isOk().expectBody().json("[]");
		this.admin.get().uri("/nope/diffs").exchange().expectStatus().isNotFound();
	}

	@Test
	void withTheFileStoreTheDiffsAreThisInstancesEachNamingIt() {
		// a route of its own: the other tests read the shadow counts of theirs
		writeRoutes(ROUTES + """
				  - id: mirrored
				    match:
				      paths: [/api/mirrored/**]
				    target: ${test.target-url}
				    stage: shadow
				""");
		postReload(this.admin).expectStatus().isOk();
		this.traffic.get().uri("/api/mirrored/1").exchange().expectStatus().isOk();

		await("the mirror is compared").atMost(TIMEOUT)
			.untilAsserted(() -> this.admin.get()
				.uri("/mirrored/diffs")
				.exchange()
				.expectBody()
				.jsonPath("$[0].pathWithQuery")
				.isEqualTo("/api/mirrored/1")
				.jsonPath("$[0].scope")
				.isEqualTo("instance")
				.jsonPath("$[0].instance")
				.value((instance) -> assertThat((String) instance).endsWith("-" + ProcessHandle.current().pid()))
				.jsonPath("$[0].problem")
				.doesNotExist());
	}

	@Test
	void settingAnOverrideMovesTrafficAndClearingItMovesItBack() {
		this.traffic.get().uri("/api/orders/1").exchange().expectHeader().valueEquals("X-Strangler-Backend", "legacy");

		postJson(this.admin, "/orders", "{\"stage\":\"migrated\"}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.effective.stage")
			.isEqualTo("migrated");
		this.traffic.get()
			.uri("/api/orders/1")
			.exchange()
			.expectHeader()
			.valueEquals("X-Strangler-Backend", "target")
			.expectBody(String.class)
			.isEqualTo("from target");

		this.admin.delete()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.effective.stage")
			.isEqualTo("legacy")
			.jsonPath("$.override")
			.isEmpty();
		this.traffic.get().uri("/api/orders/1").exchange().expectHeader().valueEquals("X-Strangler-Backend", "legacy");
	}

	@Test
	void aPercentAloneIsLaidOverTheStageAlreadyOverridden() {
		postJson(this.admin, "/orders", "{\"stage\":\"canary\",\"percent\":10}").expectStatus().isOk();
		postJson(this.admin, "/orders", "{\"percent\":50}").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.effective.stage")
			.isEqualTo("canary")
			.jsonPath("$.effective.percent")
			.isEqualTo(50);
	}

	@Test
	void concurrentOverridesOfTwoRoutesBothSurvive() {
		WebClient client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.managementPort + "/actuator/migration")
			.defaultHeaders((headers) -> headers.setBasicAuth("ops", "s3cret"))
			.build();
		Flux.range(1, 20)
			.flatMap((i) -> client.post()
				.uri("/" + ((i % 2 == 0) ? "catalog" : "orders"))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("stage", "canary", "percent", i))
				.retrieve()
				.toBodilessEntity(), 8)
			.blockLast(Duration.ofSeconds(30));
		assertThat(this.store.snapshot().overrides()).containsOnlyKeys("catalog", "orders");
		assertThat(this.routes.current().route("catalog").get().stage()).isEqualTo(Stage.CANARY);
		assertThat(this.routes.current().route("orders").get().stage()).isEqualTo(Stage.CANARY);
		assertThat(this.store.snapshot().revision()).isGreaterThanOrEqualTo(20);
	}

	@ParameterizedTest(name = "{0} -> 400 naming {1}")
	@CsvSource(delimiter = '|',
			value = { "{\"stage\":\"blue\"}|stage", "{\"percent\":150}|percent", "{\"percent\":-1}|percent",
					"{\"percent\":\"lots\"}|percent", "{\"percent\":0.001}|percent",
					"{\"stage\":\"canary\",\"stgae\":\"x\"}|stgae", "{}|body", "{\"reason\":\"why\"}|body" })
	void anInvalidBodyIsABadRequestProblemNamingTheField(String body, String field) {
		postJson(this.admin, "/orders", body).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400)
			.jsonPath("$.field")
			.isEqualTo(field)
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).startsWith(field + ": "));
		assertThat(this.store.snapshot().overrides()).isEmpty();
	}

	@Test
	void anEmptyBodyIsABadRequestProblem() {
		this.admin.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.field")
			.isEqualTo("body");
	}

	@Test
	void malformedJsonIsABadRequestProblem() {
		postJson(this.admin, "/orders", "{\"stage\":").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(400);
		assertThat(this.store.snapshot().overrides()).isEmpty();
	}

	@Test
	void aStageThatNeedsATargetIsRefusedForARouteWithout() {
		postJson(this.admin, "/legacy-only", "{\"stage\":\"migrated\"}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.field")
			.isEqualTo("stage");
	}

	@Test
	void aBrokenFileKeepsTheRoutesInForceAndIsReported() {
		double failuresBefore = reloads("failure");
		writeRoutes(ROUTES.replace("stage: legacy\n    rollout", "stage: blue\n    rollout"));

		postReload(this.admin).expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.value((String detail) -> assertThat(detail).contains("routes.yml › catalog › stage"))
			.jsonPath("$.routesInForce")
			.isEqualTo(List.of("catalog", "orders", "legacy-only"));

		assertThat(this.routes.current().route("catalog")).isPresent();
		this.traffic.get().uri("/api/products/1").exchange().expectHeader().valueEquals("X-Strangler-Route", "catalog");
		this.admin.get()
			.exchange()
			.expectBody()
			.jsonPath("$.lastReloadError.message")
			.value((String message) -> assertThat(message).contains("stage"))
			.jsonPath("$.lastReloadError.at")
			.isNotEmpty();
		assertThat(reloads("failure")).isEqualTo(failuresBefore + 1);
		assertThat(this.registry.get("strangler.routes.reload.failing").gauge().value()).isEqualTo(1);
	}

	@Test
	void aGoodFileIsSwappedInAndClearsTheError() {
		writeRoutes("routes: [");
		postReload(this.admin).expectStatus().isEqualTo(422);
		writeRoutes(ROUTES.replace("paths: [/api/orders/**]", "paths: [/api/orders/**, /api/carts/**]"));

		postReload(this.admin).expectStatus().isOk().expectBody().jsonPath("$.result").isEqualTo("success");

		this.traffic.get().uri("/api/carts/1").exchange().expectHeader().valueEquals("X-Strangler-Route", "orders");
		this.admin.get().exchange().expectBody().jsonPath("$.lastReloadError").isEmpty();
		assertThat(this.registry.get("strangler.routes.reload.failing").gauge().value()).isZero();
	}

	@Test
	void anOverrideOfARemovedRouteIsKeptAndFlagged() {
		postJson(this.admin, "/legacy-only", "{\"percent\":5}").expectStatus().isOk();
		writeRoutes(ROUTES.substring(0, ROUTES.indexOf("  - id: legacy-only")));
		postReload(this.admin).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.removed")
			.isEqualTo(List.of("legacy-only"));
		this.admin.get()
			.exchange()
			.expectBody()
			.jsonPath("$.orphanedOverrides[0].route")
			.isEqualTo("legacy-only")
			.jsonPath("$.orphanedOverrides[0].percent")
			.isEqualTo(5);
		assertThat(this.store.snapshot().get("legacy-only")).isPresent();
	}

	private double reloads(String result) {
		return this.registry.get("strangler.routes.reloads").tag("result", result).counter().count();
	}

	@Test
	void deletingARoutesCacheEmptiesIt() {
		for (int i = 0; i < 2; i++) {
			this.traffic.get().uri("/api/products/1").exchange().expectStatus().isOk();
		}
		this.admin.delete()
			.uri("/catalog/cache")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.route")
			.isEqualTo("catalog")
			.jsonPath("$.emptied")
			.isEqualTo(true);
		this.admin.get().uri("/catalog").exchange().expectBody().jsonPath("$.stats.cache.entries").isEqualTo(0);
	}

	@Test
	void aRouteWithoutACacheHasNothingToEmpty() {
		this.admin.delete()
			.uri("/orders/cache")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void overridesSetThroughTheApiAreInForceAfterARestart() {
		postJson(this.admin, "/orders", "{\"stage\":\"migrated\"}").expectStatus().isOk();
		// What a restarted gateway builds at start-up, on the same state directory;
		// a second web context in this JVM would share Reactor Netty's global
		// resources with this one and tear them down on close.
		RouteTableHolder restarted = new RouteTableHolder(this.loader.load(ROUTES_DIR.toUri().toString()));
		Path state = STATE_DIR;
		try (RouteControl control = new RouteControl(this.loader, ROUTES_DIR.toUri().toString(), false, restarted,
				new FileOverrideStore(state, new JsonLinesAuditLog(state), Clock.systemUTC()), List.of(),
				Clock.systemUTC())) {
			assertThat(restarted.current().route("orders").orElseThrow().stage()).isEqualTo(Stage.MIGRATED);
			assertThat(control.state().route("orders").orElseThrow().override()).isPresent();
		}
	}

	private Stage stageInForce(String routeId) {
		return this.routes.current().route(routeId).orElseThrow().stage();
	}

	static WebTestClient.ResponseSpec postJson(WebTestClient client, String uri, String body) {
		return client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

	/**
	 * Actuator write operations take JSON only, so even a body-less POST names it.
	 */
	static WebTestClient.ResponseSpec postReload(WebTestClient client) {
		return client.post().uri("/reload").contentType(MediaType.APPLICATION_JSON).exchange();
	}

	static void writeRoutes(String yaml) {
		try {
			Files.writeString(ROUTES_DIR.resolve("routes.yml"), yaml);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path temporaryDirectory(String name) {
		try {
			Path dir = Files.createTempDirectory("migration-endpoint-" + name);
			dir.toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
