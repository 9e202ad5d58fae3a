package dev.strangler.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strangler.e2e.E2eEnvironment.Backends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The catalog route in stage {@code shadow} in front of the real monolith and the real
 * catalog-service: clients get exactly the monolith's answers, and every mirrored request
 * is compared and found equal under the route's rules.
 */
@EndToEnd
class ShadowParityIT {

	private static final int MIN_REQUESTS = 500;

	private static final JsonComparison PARITY = JsonComparison.ignoring("generatedAt");

	private static Backends backends;

	private static AdminGateway gateway;

	@BeforeAll
	static void start(E2eEnvironment env) {
		backends = env.backends();
		String route = GatewaySetup.catalogRoute(GatewaySetup.Stage.SHADOW, backends.legacy().baseUri(),
				backends.catalog().baseUri()) + """
						    shadow:
						      timeout: 10s
						    compare:
						      ignore: [$.generatedAt]
						      headers: [Content-Type]
						""";
		gateway = AdminGateway.start("gateway-shadow-parity", backends.legacy().baseUri(),
				Map.of("catalog.yml", route));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void everyShadowedRequestAnswersLikeTheMonolithAndIsComparedWithoutMismatch() {
		List<String> corpus = CatalogRequests.corpus(backends.legacy());
		List<String> requests = new ArrayList<>();
		while (requests.size() < MIN_REQUESTS) {
			requests.addAll(corpus);
		}
		// Only what the route matches is mirrored: /api/categories is not the route's.
		long routed = requests.stream().filter((path) -> path.startsWith("/api/products")).count();
		List<String> failures = new ArrayList<>();
		for (String path : requests) {
			HttpResponse<byte[]> expected = Http.get(backends.legacy().uri(path));
			HttpResponse<byte[]> actual = Http.get(gateway.uri(path));
			if (actual.statusCode() != expected.statusCode()) {
				failures.add(path + ": status " + expected.statusCode() + " vs " + actual.statusCode());
				continue;
			}
			PARITY.difference(expected.body(), actual.body())
				.ifPresent((difference) -> failures.add(path + ": " + difference));
			String backend = actual.headers().firstValue("X-Strangler-Backend").orElse("none");
			if (path.startsWith("/api/products") && !"legacy".equals(backend)) {
				failures.add(path + ": served by " + backend);
			}
		}
		System.out.printf("ShadowParityIT: %d requests (%d routed), %d failures%n", requests.size(), routed,
				failures.size());
		assertThat(failures).as("client answers differing from the monolith's").isEmpty();

		await("every mirror compared").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> {
				JsonNode shadow = gateway.admin("/actuator/migration/catalog").path("stats").path("shadow");
				assertThat(shadow.path("compared").asLong() + shadow.path("error").asLong()
						+ shadow.path("skipped").asLong() + shadow.path("dropped").asLong())
					.as("finished mirrors: %s", shadow)
					.isEqualTo(routed);
			});
		JsonNode shadow = gateway.admin("/actuator/migration/catalog").path("stats").path("shadow");
		System.out.printf("ShadowParityIT: shadow stats %s%n", shadow);
		assertThat(shadow.path("compared").asLong()).as("compared: %s", shadow).isEqualTo(routed);
		assertThat(shadow.path("match").asLong()).as("match: %s", shadow).isEqualTo(routed);
		assertThat(shadow.path("mismatch").asLong()).as("mismatch: %s", shadow).isZero();
		assertThat(gateway.admin("/actuator/migration/catalog/diffs")).as("diffs").isEmpty();
	}

}
