package dev.strangler.gateway.observe;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After traffic through the gateway, {@code /actuator/prometheus} holds
 * {@code strangler.requests} with its tags and counts, with its histogram, the shadow
 * comparisons, and the JVM and Netty metrics.
 */
class PrometheusScrapeIntegrationTests extends ObservedGateway {

	private static final String COUNT = "strangler_requests_seconds_count";

	@Test
	void everyRequestIsCountedOnceByRouteBackendStageAndStatus() {
		PrometheusScrape before = scrape();

		get("/api/products/1", 200);
		get("/api/products/2", 200);
		get("/api/orders/7", 200);
		get("/cart/items", 200);
		get("/api/dead/1", 502);

		PrometheusScrape after = scrape();
		assertThat(delta(before, after,
				Map.of("route", "catalog", "backend", "legacy", "stage", "legacy", "status", "200")))
			.isEqualTo(2);
		assertThat(delta(before, after,
				Map.of("route", "orders", "backend", "target", "stage", "migrated", "status", "200")))
			.isEqualTo(1);
		assertThat(delta(before, after,
				Map.of("route", "unrouted", "backend", "legacy", "stage", "none", "status", "200")))
			.isEqualTo(1);
		assertThat(delta(before, after,
				Map.of("route", "dead", "backend", "target", "stage", "migrated", "status", "502")))
			.as("a gateway error is counted with the status the client got")
			.isEqualTo(1);
		assertThat(after.labelNames(COUNT)).contains("route", "backend", "stage", "status");
	}

	@Test
	void requestsHaveAPercentileHistogramWithTheSloBuckets() {
		get("/api/products/1", 200);

		PrometheusScrape scrape = scrape();

		assertThat(scrape.find("strangler_requests_seconds_bucket", Map.of("route", "catalog")))
			.extracting((sample) -> sample.labels().get("le"))
			.contains("0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "+Inf");
		assertThat(scrape.names()).contains("strangler_requests_seconds_sum", "strangler_requests_seconds_max");
	}

	@Test
	void jvmNettyAndBackendClientMetricsAreExposed() {
		get("/api/orders/1", 200);

		PrometheusScrape scrape = scrape();

		assertThat(scrape.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
				"reactor_netty_bytebuf_allocator_used_direct_memory",
				"reactor_netty_http_client_response_time_seconds_count",
				"reactor_netty_connection_provider_total_connections", "http_server_requests_seconds_count");
	}

	@Test
	void springCloudGatewaysOwnRequestTimerIsOffForStranglerRequestsSaysItRight() {
		get("/api/orders/1", 200);

		PrometheusScrape scrape = scrape();

		assertThat(scrape.names()).contains("strangler_requests_seconds_count")
			.noneMatch((name) -> name.startsWith("spring_cloud_gateway_requests"));
	}

	@Test
	void serverRequestsKeepSpringBootsTagsAndValues() {
		Map<String, String> ok = Map.of("method", "GET", "status", "200", "outcome", "SUCCESS", "uri", "UNKNOWN",
				"exception", "none");
		Map<String, String> notFound = Map.of("method", "GET", "status", "404", "outcome", "CLIENT_ERROR", "uri",
				"NOT_FOUND", "exception", "none");
		String count = "http_server_requests_seconds_count";
		legacy.stubFor(WireMock.any(WireMock.urlPathEqualTo("/api/products/missing"))
			.atPriority(1)
			.willReturn(WireMock.aResponse().withStatus(404)));
		PrometheusScrape before = scrape();

		get("/api/products/1", 200);
		get("/api/products/2", 200);
		get("/api/products/missing", 404);

		PrometheusScrape after = scrape();
		assertThat(after.sum(count, ok) - before.sum(count, ok)).isEqualTo(2);
		assertThat(after.sum(count, notFound) - before.sum(count, notFound)).isEqualTo(1);
		assertThat(after.labelNames(count)).containsExactlyInAnyOrder("method", "status", "outcome", "uri", "exception",
				"error");
	}

	@Test
	void mirroredRequestsAreComparedAndCountedByRouteAndResult() {
		PrometheusScrape before = scrape();

		get("/api/reviews/1", 200);

		// The mirror completes after the client's response: wait for its report.
		String comparisons = "strangler_shadow_comparisons_total";
		PrometheusScrape after = await().atMost(Duration.ofSeconds(20))
			.until(this::scrape, (scrape) -> scrape.sum(comparisons, Map.of("route", "reviews"))
					- before.sum(comparisons, Map.of("route", "reviews")) >= 1);
		// Legacy and target answer differently here.
		assertThat(after.sum(comparisons, Map.of("route", "reviews", "result", "mismatch"))
				- before.sum(comparisons, Map.of("route", "reviews", "result", "mismatch")))
			.isEqualTo(1);
		assertThat(delta(before, after,
				Map.of("route", "reviews", "backend", "legacy", "stage", "shadow", "status", "200")))
			.isEqualTo(1);
	}

	private void get(String path, int status) {
		this.client.get().uri(path).exchange().expectStatus().isEqualTo(status);
	}

	private static double delta(PrometheusScrape before, PrometheusScrape after, Map<String, String> labels) {
		return after.sum(COUNT, labels) - before.sum(COUNT, labels);
	}

}
