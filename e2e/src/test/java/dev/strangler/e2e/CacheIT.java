package dev.strangler.e2e;

import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route with a {@code cache} block in front of the monolith's slow listing: repeated
 * requests are answered by the gateway. The monolith stamps every answer it computes with
 * a fresh {@code generatedAt}, so a body whose stamp never changes across hits was never
 * asked of the monolith again.
 */
@EndToEnd
class CacheIT {

	private static final String LISTING = "/api/products?size=100";

	private static final int HITS = 50;

	private static AppProcess legacy;

	private static AppProcess gateway;

	@BeforeAll
	static void start(E2eEnvironment env) {
		legacy = env.legacy();
		String route = """
				routes:
				  - id: catalog
				    description: Product catalog reads, cached in front of the monolith
				    match:
				      paths: [/api/products, /api/products/**]
				      methods: [GET, HEAD]
				    legacy: %s
				    stage: legacy
				    cache:
				      ttl: 10m
				      maxEntries: 100
				      maxBytes: 16MB
				""".formatted(legacy.baseUri());
		gateway = env.gateway(new GatewaySetup("cache", legacy.baseUri(), Map.of("catalog.yml", route)));
	}

	@Test
	void repeatedRequestsOfTheSlowListingAreServedFromTheCacheWithoutAskingTheMonolith() {
		HttpResponse<byte[]> first = Http.get(gateway.uri(LISTING));
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("Cache-Status")).hasValue("strangler; fwd=miss; stored");
		String stamp = generatedAt(first);
		assertThat(stamp).isNotBlank();

		for (int i = 0; i < HITS; i++) {
			HttpResponse<byte[]> hit = Http.get(gateway.uri(LISTING));
			assertThat(hit.statusCode()).isEqualTo(200);
			assertThat(hit.headers().firstValue("Cache-Status")).as("hit %d", i).hasValue("strangler; hit");
			assertThat(hit.headers().firstValue("Age")).as("hit %d", i).isPresent();
			assertThat(hit.headers().firstValue("X-Strangler-Backend")).hasValue("legacy");
			assertThat(hit.body()).as("hit %d is the stored body", i).isEqualTo(first.body());
		}

		// The monolith itself stamps every answer afresh, so the unchanged stamp above
		// means it was asked once.
		HttpResponse<byte[]> direct = Http.get(legacy.uri(LISTING));
		assertThat(generatedAt(direct)).as("the monolith's own stamp now").isNotEqualTo(stamp);
		assertThat(JsonComparison.ignoring("generatedAt").difference(direct.body(), first.body())).isEmpty();

		// Another key is a miss of its own.
		HttpResponse<byte[]> other = Http.get(gateway.uri("/api/products?size=100&page=1"));
		assertThat(other.headers().firstValue("Cache-Status")).hasValue("strangler; fwd=miss; stored");
	}

	private static String generatedAt(HttpResponse<byte[]> response) {
		JsonNode json = JsonComparison.parse(response.body());
		assertThat(json).isNotNull();
		return json.path("generatedAt").asText();
	}

}
