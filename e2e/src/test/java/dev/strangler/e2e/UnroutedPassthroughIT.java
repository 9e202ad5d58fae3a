package dev.strangler.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.e2e.GatewaySetup.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests no route claims go to the monolith unchanged: the real one really serves and
 * creates, and a recording one (WireMock) sees exactly what the client sent.
 */
@EndToEnd
class UnroutedPassthroughIT {

	private static final JsonComparison IGNORING_CREATED_AT = JsonComparison.ignoring("createdAt");

	/**
	 * A gateway with no routes in front of a monolith of its own (orders change stock).
	 */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class ToTheRealMonolith {

		private AppProcess legacy;

		private AppProcess gateway;

		@BeforeAll
		void startProcesses(E2eEnvironment environment) {
			this.legacy = environment.writableLegacy();
			this.gateway = environment.gateway(GatewaySetup.unrouted("orders", this.legacy.baseUri()));
		}

		@ParameterizedTest(name = "GET {0}")
		@ValueSource(strings = { "/api/orders/1", "/api/orders/200", "/api/customers/1", "/api/customers/100",
				"/api/orders/999999", "/api/customers/999999", "/api/customers/abc", "/api/no-such-thing?x=1" })
		void readsAreTheMonolithsBytes(String path) {
			HttpResponse<byte[]> direct = Http.get(this.legacy.uri(path));
			HttpResponse<byte[]> routed = Http.get(this.gateway.uri(path));

			assertThat(routed.statusCode()).as("status").isEqualTo(direct.statusCode());
			assertThat(routed.headers().firstValue("Content-Type")).as("Content-Type")
				.isEqualTo(direct.headers().firstValue("Content-Type"));
			assertThat(text(routed.body())).as("body").isEqualTo(text(direct.body()));
			assertThat(routed.headers().firstValue("X-Strangler-Backend")).as("X-Strangler-Backend")
				.isNotEqualTo(Optional.of("target"));
		}

		@Test
		void anOrderPostedThroughTheGatewayIsPlacedByTheMonolith() {
			int stockBefore = stockOf(7);
			String order = """
					{"customerId":1,"lines":[{"productId":1,"quantity":2},{"productId":7,"quantity":3}]}""";

			HttpResponse<byte[]> created = Http.exchange(Http.request(this.gateway.uri("/api/orders"))
				.header("Content-Type", "application/json")
				.POST(BodyPublishers.ofString(order))
				.build());

			assertThat(created.statusCode()).as("status; body %s", text(created.body())).isEqualTo(201);
			JsonNode placed = JsonComparison.parse(created.body());
			long id = placed.path("id").asLong();
			assertThat(created.headers().firstValue("Location")).hasValue("/api/orders/" + id);
			HttpResponse<byte[]> stored = Http.get(this.legacy.uri("/api/orders/" + id));
			assertThat(stored.statusCode()).isEqualTo(200);
			JsonNode read = JsonComparison.parse(stored.body());
			assertThat(read.path("customerId").asLong()).isEqualTo(1);
			assertThat(lines(read)).containsExactly(Map.of("productId", 1L, "quantity", 2L),
					Map.of("productId", 7L, "quantity", 3L));
			assertThat(IGNORING_CREATED_AT.difference(stored.body(), created.body())).as("order as placed vs as stored")
				.isEmpty();
			assertThat(stockOf(7)).as("stock of product 7").isEqualTo(stockBefore - 3);
		}

		@Test
		void aRejectedOrderIsTheMonolithsProblem() {
			String order = """
					{"customerId":1,"lines":[{"productId":987654,"quantity":1}]}""";

			HttpResponse<byte[]> direct = postJson(this.legacy.uri("/api/orders"), order);
			HttpResponse<byte[]> routed = postJson(this.gateway.uri("/api/orders"), order);

			assertThat(direct.statusCode()).isEqualTo(422);
			assertThat(routed.statusCode()).isEqualTo(422);
			assertThat(routed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(text(routed.body())).isEqualTo(text(direct.body()));
		}

		private int stockOf(long productId) {
			return JsonComparison.parse(Http.get(this.legacy.uri("/api/products/" + productId)).body())
				.path("stock")
				.asInt();
		}

		private static List<Map<String, Long>> lines(JsonNode order) {
			List<Map<String, Long>> lines = new ArrayList<>();
			order.path("lines")
				.forEach((line) -> lines.add(Map.of("productId", line.path("productId").asLong(), "quantity",
						line.path("quantity").asLong())));
			return lines;
		}

		private static HttpResponse<byte[]> postJson(URI uri, String json) {
			return Http.exchange(Http.request(uri)
				.header("Content-Type", "application/json")
				.POST(BodyPublishers.ofString(json))
				.build());
		}

	}

	/**
	 * A gateway whose default upstream is a WireMock server, with the catalog route
	 * migrated to catalog-service so unrouted traffic has a route next to it.
	 */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class ToARecordingMonolith {

		private static final String QUERY = "?tag=a&tag=b&q=caf%C3%A9%20au%20lait&expr=a%2Bb%3Dc&plus=a+b&slash=x%2Fy&empty=&flag";

		private static final byte[] BODY = "{\"note\":\"crème brûlée ✓\",\"n\":[1,2,3]}"
			.getBytes(StandardCharsets.UTF_8);

		private final WireMockServer legacy = new WireMockServer(
				options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));

		private E2eEnvironment environment;

		private AppProcess gateway;

		@BeforeAll
		void startProcesses(E2eEnvironment environment) {
			this.legacy.start();
			this.legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"servedBy\":\"wiremock\"}")));
			this.environment = environment;
			URI legacyUrl = URI.create(this.legacy.baseUrl());
			URI catalog = environment.catalog().baseUri();
			this.gateway = environment.gateway(new GatewaySetup("recording", legacyUrl,
					Map.of("catalog.yml", GatewaySetup.catalogRoute(Stage.MIGRATED, legacyUrl, catalog))));
		}

		@AfterEach
		void forgetRequests() {
			this.legacy.resetRequests();
		}

		@AfterAll
		void stopProcesses() {
			if (this.gateway != null) {
				this.environment.stop(this.gateway);
			}
			this.legacy.stop();
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "GET", "DELETE" })
		void methodPathQueryAndHeadersArriveUnchanged(String method) {
			String path = "/api/orders/42/notes" + QUERY;

			HttpResponse<byte[]> response = Http.exchange(
					withClientHeaders(Http.request(this.gateway.uri(path))).method(method, BodyPublishers.noBody())
						.build());

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(text(response.body())).isEqualTo("{\"servedBy\":\"wiremock\"}");
			LoggedRequest received = onlyRequest();
			assertThat(received.getMethod().getName()).isEqualTo(method);
			assertThat(received.getUrl()).isEqualTo(path);
			assertThat(received.getQueryParams().get("tag").values()).containsExactly("a", "b");
			assertClientHeaders(received);
			assertThat(received.getBody()).isEmpty();
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "POST", "PUT", "PATCH", "DELETE" })
		void bodiesArriveByteForByte(String method) {
			String path = "/api/orders" + QUERY;

			HttpResponse<byte[]> response = Http.exchange(withClientHeaders(Http.request(this.gateway.uri(path)))
				.header("Content-Type", "application/json; charset=utf-8")
				.method(method, BodyPublishers.ofByteArray(BODY))
				.build());

			assertThat(response.statusCode()).isEqualTo(200);
			LoggedRequest received = onlyRequest();
			assertThat(received.getMethod().getName()).isEqualTo(method);
			assertThat(received.getUrl()).isEqualTo(path);
			// Jetty (inside WireMock) upper-cases the charset value even for requests
			// sent to it directly.
			assertThat(received.getHeader("Content-Type")).isEqualToIgnoringCase("application/json; charset=utf-8");
			assertClientHeaders(received);
			assertThat(received.getBody()).isEqualTo(BODY);
		}

		@Test
		void anEncodedPathArrivesUnchanged() {
			String path = "/api/customers/caf%C3%A9%20noir/notes?q=%26%3D%3F";

			HttpResponse<byte[]> response = Http.get(this.gateway.uri(path));

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(onlyRequest().getUrl()).isEqualTo(path);
		}

		@Test
		void aPathWithAPathParameterIsRefusedBeforeItReachesTheMonolith() {
			// Servlet containers read "..;" as "..", other servers do not: no single
			// reading of ';' in a path is safe (docs/routes.md, path normalization).
			String path = "/api/cart;jsessionid=4F2A9C/items;v=1?page=2";

			HttpResponse<byte[]> response = Http.get(this.gateway.uri(path));

			assertThat(response.statusCode()).as("status from the gateway").isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(this.legacy.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		}

		@Test
		void theMonolithsResponseReachesTheClientUnchanged() {
			byte[] problem = "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"déjà vu\"}"
				.getBytes(StandardCharsets.UTF_8);
			this.legacy.stubFor(get(urlPathEqualTo("/api/orders/conflict")).willReturn(aResponse().withStatus(409)
				.withHeader("Content-Type", "application/problem+json")
				.withHeader("X-Legacy-Version", "1.7.3")
				.withHeader("Cache-Control", "no-store")
				.withBody(problem)));

			HttpResponse<byte[]> response = Http.get(this.gateway.uri("/api/orders/conflict"));

			assertThat(response.statusCode()).isEqualTo(409);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(response.headers().firstValue("X-Legacy-Version")).hasValue("1.7.3");
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
			assertThat(response.body()).isEqualTo(problem);
		}

		@Test
		void clientsCannotSendStranglerHeadersToTheMonolith() {
			Http.exchange(Http.request(this.gateway.uri("/api/customers/1"))
				.header("X-Strangler-Backend", "target")
				.header("X-Strangler-Route", "catalog")
				.header("X-Strangler-Shadow", "true")
				.GET()
				.build());

			assertThat(onlyRequest().getHeaders().all()).extracting(HttpHeader::key)
				.noneMatch((name) -> name.toLowerCase(Locale.ROOT).startsWith("x-strangler-"));
		}

		@Test
		void routedRequestsNeverReachTheMonolith() {
			HttpResponse<byte[]> response = Http.get(this.gateway.uri("/api/products/1"));

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("X-Strangler-Backend")).hasValue("target");
			assertThat(this.legacy.findAll(anyRequestedFor(anyUrl()))).isEmpty();
		}

		private static HttpRequest.Builder withClientHeaders(HttpRequest.Builder request) {
			return request.header("X-Correlation-Id", "e2e-7f3a")
				.header("X-Tenant", "acme")
				.header("X-Multi", "one")
				.header("X-Multi", "two")
				.header("Authorization", "Bearer e2e-token")
				.header("Accept", "application/json");
		}

		private static void assertClientHeaders(LoggedRequest received) {
			assertThat(received.getHeader("X-Correlation-Id")).isEqualTo("e2e-7f3a");
			assertThat(received.getHeader("X-Tenant")).isEqualTo("acme");
			assertThat(received.getHeader("Authorization")).isEqualTo("Bearer e2e-token");
			assertThat(received.getHeader("Accept")).isEqualTo("application/json");
			// A proxy may fold repeated fields into one list (RFC 9110 §5.3); the values
			// must survive.
			assertThat(received.getHeaders()
				.getHeader("X-Multi")
				.values()
				.stream()
				.flatMap((value) -> Arrays.stream(value.split(",\\s*")))).containsExactly("one", "two");
		}

		private LoggedRequest onlyRequest() {
			List<LoggedRequest> requests = this.legacy.findAll(anyRequestedFor(anyUrl()));
			assertThat(requests).as("requests that reached the monolith").hasSize(1);
			return requests.get(0);
		}

	}

	private static String text(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

}
