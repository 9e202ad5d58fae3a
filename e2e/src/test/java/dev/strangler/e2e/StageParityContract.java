package dev.strangler.e2e;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import dev.strangler.e2e.E2eEnvironment.Backends;
import dev.strangler.e2e.GatewaySetup.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client sees through the gateway for the catalog route at one stage: exactly what
 * the backend serving that stage answers when asked directly, marked with the route and
 * backend headers. One gateway per stage, shared by the class's tests.
 */
@EndToEnd
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StageParityContract {

	private static final JsonComparison IGNORING_GENERATED_AT = JsonComparison.ignoring("generatedAt");

	private final Stage stage;

	private final String expectedBackend;

	private AppProcess gateway;

	private AppProcess backend;

	StageParityContract(Stage stage, String expectedBackend) {
		this.stage = stage;
		this.expectedBackend = expectedBackend;
	}

	/**
	 * The process that serves the route at this stage.
	 */
	abstract AppProcess servingBackend(Backends backends);

	@BeforeAll
	void startProcesses(E2eEnvironment environment) {
		Backends backends = environment.backends();
		this.backend = servingBackend(backends);
		this.gateway = environment.gateway(GatewaySetup.catalog(this.stage, backends));
	}

	@ParameterizedTest(name = "GET {0}")
	@MethodSource("dev.strangler.e2e.CatalogRequests#productDetails")
	void productDetailsAreTheBackendsBytesExactly(String path) {
		HttpResponse<byte[]> direct = Http.get(this.backend.uri(path));
		HttpResponse<byte[]> routed = Http.get(this.gateway.uri(path));

		assertThat(direct.statusCode()).as("direct status").isEqualTo(200);
		assertThat(routed.statusCode()).as("status through the gateway").isEqualTo(direct.statusCode());
		assertThat(text(routed)).as("body through the gateway").isEqualTo(text(direct));
		assertThat(routed.body()).isEqualTo(direct.body());
		assertRoutedHeaders(routed);
	}

	@ParameterizedTest(name = "GET {0}")
	@MethodSource("dev.strangler.e2e.CatalogRequests#productListings")
	void productListingsMatchTheBackendApartFromGeneratedAt(String path) {
		HttpResponse<byte[]> direct = Http.get(this.backend.uri(path));
		HttpResponse<byte[]> routed = Http.get(this.gateway.uri(path));

		assertThat(direct.statusCode()).as("direct status").isEqualTo(200);
		assertThat(routed.statusCode()).as("status through the gateway").isEqualTo(direct.statusCode());
		assertThat(JsonComparison.parse(routed.body())).as("routed body is JSON").isNotNull();
		assertThat(JsonComparison.parse(routed.body()).path("generatedAt").isTextual()).as("generatedAt kept").isTrue();
		assertThat(IGNORING_GENERATED_AT.difference(direct.body(), routed.body()))
			.as("difference from %s", this.backend)
			.isEmpty();
		assertRoutedHeaders(routed);
	}

	@ParameterizedTest(name = "GET {0}")
	@MethodSource("dev.strangler.e2e.CatalogRequests#productErrors")
	void problemsAreTheBackendsProblems(String path) {
		HttpResponse<byte[]> direct = Http.get(this.backend.uri(path));
		HttpResponse<byte[]> routed = Http.get(this.gateway.uri(path));

		assertThat(direct.statusCode()).as("direct status").isBetween(400, 499);
		assertThat(routed.statusCode()).as("status through the gateway").isEqualTo(direct.statusCode());
		assertThat(routed.headers().firstValue("Content-Type")).as("Content-Type")
			.isEqualTo(direct.headers().firstValue("Content-Type"));
		assertThat(text(routed)).as("body through the gateway").isEqualTo(text(direct));
		assertRoutedHeaders(routed);
	}

	private void assertRoutedHeaders(HttpResponse<byte[]> routed) {
		assertThat(routed.headers().allValues("X-Strangler-Route")).as("X-Strangler-Route").containsExactly("catalog");
		assertThat(routed.headers().allValues("X-Strangler-Backend")).as("X-Strangler-Backend")
			.containsExactly(this.expectedBackend);
	}

	private static String text(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

}
