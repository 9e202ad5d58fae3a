package dev.strangler.gateway.observe;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot's common key values ({@code management.observations.key-values}) are tags
 * of {@code http.server.requests} for every request, those timed without an observation
 * ({@link UnsampledServerRequests}) as much as the observed ones.
 */
@TestPropertySource(properties = "management.observations.key-values.region=eu-west")
class CommonKeyValuesIntegrationTests extends ObservedGateway {

	private static final String SERVER_REQUESTS = "http_server_requests_seconds_count";

	@Test
	void anUnsampledAndASampledRequestBothCarryTheCommonTag() {
		Map<String, String> tags = Map.of("region", "eu-west", "status", "200", "uri", "UNKNOWN");
		PrometheusScrape before = scrape();

		get("00-1bf92f3577b34da6a3ce929d0e0e4731-00f067aa0ba902b7-00");
		get("00-1bf92f3577b34da6a3ce929d0e0e4732-00f067aa0ba902b7-01");

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(scrape().sum(SERVER_REQUESTS, tags) - before.sum(SERVER_REQUESTS, tags))
				.isEqualTo(2));
	}

	private void get(String traceparent) {
		this.client.get().uri("/api/products/81").header("traceparent", traceparent).exchange().expectStatus().isOk();
	}

}
