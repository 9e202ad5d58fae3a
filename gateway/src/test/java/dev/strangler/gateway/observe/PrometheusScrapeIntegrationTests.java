package dev.strangler.gateway.observe;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After traffic through the gateway, {@code /actuator/prometheus} holds
 * {@code strangler.requests} with its tags and counts, with its histogram, and the JVM
 * and Netty metrics.
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
				"netty_allocator_memory_used_bytes", "reactor_netty_http_client_data_received_bytes_total",
				"reactor_netty_connection_provider_total_connections", "http_server_requests_seconds_count");
	}

	private void get(String path, int status) {
		this.client.get().uri(path).exchange().expectStatus().isEqualTo(status);
	}

	private static double delta(PrometheusScrape before, PrometheusScrape after, Map<String, String> labels) {
		return after.sum(COUNT, labels) - before.sum(COUNT, labels);
	}

}
