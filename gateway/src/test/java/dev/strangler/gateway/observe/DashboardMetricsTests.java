package dev.strangler.gateway.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric the Grafana dashboard
 * ({@code observability/grafana/strangler-gateway.json}) queries, and every label its
 * selectors filter on, exists in a scrape of the gateway after traffic: a renamed metric
 * or tag fails the build instead of leaving an empty panel. Dashboard queries write each
 * metric as a selector ({@code name{…}}) so they can be found.
 */
class DashboardMetricsTests extends ObservedGateway {

	static final Path DASHBOARD = Path.of("..", "observability", "grafana", "strangler-gateway.json");

	/** A vector selector: metric name and label matchers. */
	private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)\\}");

	/** A metric named by {@code label_values(metric, label)}. */
	private static final Pattern LABEL_VALUES = Pattern
		.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String DROPPED = "strangler_shadow_dropped_total";

	private static final String COMPARISONS = "strangler_shadow_comparisons_total";

	@Test
	void everyMetricAndLabelTheDashboardQueriesIsInTheScrape() throws IOException {
		// A routed request builds its route's circuit breakers, and so their metrics.
		this.client.get().uri("/api/products/1").exchange().expectStatus().isOk();
		this.client.get().uri("/api/products/1").exchange().expectStatus().isOk();
		this.client.get().uri("/api/orders/1").exchange().expectStatus().isOk();
		this.client.get().uri("/api/reviews/1").exchange().expectStatus().isOk();
		// The mirror is compared after the client's response.
		await().atMost(Duration.ofSeconds(20))
			.until(this::scrape, (found) -> found.names().contains("strangler_shadow_comparisons_total"));
		// The dry-run progression's first decision registers its meters.
		await().atMost(Duration.ofSeconds(20))
			.until(this::scrape, (found) -> found.names().contains("strangler_progression_decisions_total"));
		PrometheusScrape scrape = dropMirrors();

		List<String> queries = queries(JSON.readTree(DASHBOARD.toFile()));

		assertThat(queries).as("dashboard queries").hasSizeGreaterThan(5);
		List<String> problems = new ArrayList<>();
		for (String query : queries) {
			int metrics = 0;
			Matcher selector = SELECTOR.matcher(query);
			while (selector.find()) {
				metrics++;
				checkMetric(scrape, selector.group(1), labels(selector.group(2)), query, problems);
			}
			Matcher labelValues = LABEL_VALUES.matcher(query);
			while (labelValues.find()) {
				metrics++;
				checkMetric(scrape, labelValues.group(1), List.of(labelValues.group(2)), query, problems);
			}
			if (metrics == 0) {
				problems.add("no metric selector (write metrics as name{…}) in: " + query);
			}
		}
		assertThat(problems).as("dashboard %s against the scrape", DASHBOARD).isEmpty();
	}

	/**
	 * Drops a mirror: two mirrors to the hanging target hold both permits
	 * ({@code strangler.shadow.max-in-flight=2}), so a third finds none. Then waits for
	 * the hanging ones to time out, so no later test finds the permits taken.
	 * @return a scrape with the drop counted
	 */
	private PrometheusScrape dropMirrors() {
		Map<String, String> hang = Map.of("route", "hang");
		PrometheusScrape before = scrape();
		for (int i = 0; i < 3; i++) {
			this.client.get().uri("/api/hang/" + i).exchange().expectStatus().isOk();
		}
		return await().atMost(Duration.ofSeconds(20)).until(this::scrape, (after) -> {
			double dropped = after.sum(DROPPED, hang) - before.sum(DROPPED, hang);
			double ended = after.sum(COMPARISONS, hang) - before.sum(COMPARISONS, hang);
			return dropped >= 1 && dropped + ended == 3;
		});
	}

	private static void checkMetric(PrometheusScrape scrape, String name, List<String> labels, String query,
			List<String> problems) {
		if (!scrape.names().contains(name)) {
			problems.add("metric " + name + " is not in the scrape (query: " + query + ")");
			return;
		}
		for (String label : labels) {
			if (!scrape.labelNames(name).contains(label)) {
				problems.add("metric " + name + " has no label " + label + " (query: " + query + ")");
			}
		}
	}

	private static List<String> labels(String matchers) {
		List<String> labels = new ArrayList<>();
		Matcher matcher = MATCHER.matcher(matchers);
		while (matcher.find()) {
			labels.add(matcher.group(1));
		}
		return labels;
	}

	/**
	 * Every PromQL text of the dashboard: panel targets and template variable queries.
	 */
	static List<String> queries(JsonNode dashboard) {
		List<String> queries = new ArrayList<>();
		dashboard.findValues("expr").forEach((expr) -> queries.add(expr.asText()));
		dashboard.path("templating").path("list").forEach((variable) -> {
			JsonNode query = variable.path("query");
			String text = query.isObject() ? query.path("query").asText() : query.asText();
			if (text.contains("(")) {
				queries.add(text);
			}
		});
		return queries;
	}

	@Test
	void theDashboardIsOnTheRouteVariable() throws IOException {
		JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

		assertThat(Files.readString(DASHBOARD)).contains("\"uid\": \"strangler-gateway\"");
		assertThat(dashboard.findValues("expr")).allSatisfy(
				(expr) -> assertThat(expr.asText()).as("panel query").containsAnyOf("$route", "remote_address"));
	}

}
