package dev.strangler.e2e;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shadow comparison against a target that is subtly wrong (a WireMock answering with the
 * monolith's bodies, altered): each difference is reported with its JSON path and both
 * values, rules added by a hot reload make exactly the ruled differences disappear, and
 * the monolith's own per-response noise ({@code generatedAt}) is learned rather than
 * reported, with no ignore rule for it.
 */
@EndToEnd
class ShadowDiffIT {

	private static final String DETAIL = "/api/products/1";

	/** Answered by the target with its {@code content} reversed. */
	private static final String REORDERED = "/api/products?page=0&size=3";

	/**
	 * Answered by the target exactly as the monolith once did, stale generatedAt
	 * included.
	 */
	private static final String SAME = "/api/products?page=1&size=4";

	private static final WireMockServer target = new WireMockServer(
			options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));

	private static AppProcess legacy;

	private static AdminGateway gateway;

	private static JsonNode legacyDetail;

	private static JsonNode legacyReordered;

	@BeforeAll
	static void start(E2eEnvironment env) {
		legacy = env.legacy();
		target.start();
		HttpResponse<byte[]> detail = Http.get(legacy.uri(DETAIL));
		legacyDetail = JsonComparison.parse(detail.body());
		ObjectNode wrongDetail = legacyDetail.deepCopy();
		wrongDetail.put("price", legacyDetail.path("price").decimalValue().toPlainString());
		wrongDetail.remove("description");
		stub(DETAIL, null, detail, wrongDetail.toString());

		HttpResponse<byte[]> reordered = Http.get(legacy.uri(REORDERED));
		legacyReordered = JsonComparison.parse(reordered.body());
		ObjectNode reversed = legacyReordered.deepCopy();
		ArrayNode content = reversed.putArray("content");
		for (int i = legacyReordered.path("content").size() - 1; i >= 0; i--) {
			content.add(legacyReordered.path("content").get(i));
		}
		stub("/api/products", "3", reordered, reversed.toString());
		HttpResponse<byte[]> same = Http.get(legacy.uri(SAME));
		stub("/api/products", "4", same, new String(same.body(), StandardCharsets.UTF_8));

		gateway = AdminGateway.start("gateway-shadow-diff", legacy.baseUri(), Map.of("catalog.yml", route("")),
				"--strangler.shadow.noise-detection.sample-percent=100");
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		target.stop();
	}

	private static void stub(String path, String size, HttpResponse<byte[]> legacyResponse, String body) {
		MappingBuilder request = get(urlPathEqualTo(path));
		if (size != null) {
			request = request.withQueryParam("size", equalTo(size));
		}
		target.stubFor(request.willReturn(aResponse().withStatus(legacyResponse.statusCode())
			.withHeader("Content-Type", legacyResponse.headers().firstValue("Content-Type").orElseThrow())
			.withBody(body)));
	}

	private static String route(String extraCompareRules) {
		return GatewaySetup.catalogRoute(GatewaySetup.Stage.SHADOW, legacy.baseUri(), URI.create(target.baseUrl()))
				+ """
						    shadow:
						      timeout: 10s
						    compare:
						      headers: [Content-Type]
						""" + extraCompareRules;
	}

	@Test
	void reportsEachDifferenceThenRulesAndLearnedNoiseRemoveExactlyThoseDifferences() {
		// Noise first: the monolith asked twice answers two generatedAt values, so that
		// path is learned and the otherwise equal listing matches without an ignore rule.
		JsonNode before = shadowStats();
		send(SAME, 3);
		JsonNode afterSame = awaitCompared(before, 3);
		assertThat(afterSame.path("mismatch").asLong()).as("mismatches on an equal listing: %s", afterSame)
			.isEqualTo(before.path("mismatch").asLong());
		assertThat(afterSame.path("noisyPaths").toString()).as("learned noise").contains("$.generatedAt");
		assertThat(diffs()).as("diffs after equal listings").isEmpty();

		// Then the three kinds of difference, each at its path with both values.
		send(DETAIL, 1);
		send(REORDERED, 1);
		JsonNode afterWrong = awaitCompared(afterSame, 2);
		assertThat(afterWrong.path("mismatch").asLong() - afterSame.path("mismatch").asLong()).isEqualTo(2);
		List<String> detailDiffs = differences(newestDiffOf(DETAIL));
		assertThat(detailDiffs).containsExactlyInAnyOrder(
				"$.price|" + legacyDetail.path("price").decimalValue().toPlainString() + "|\""
						+ legacyDetail.path("price").decimalValue().toPlainString() + "\"",
				"$.description|" + legacyDetail.path("description") + "|<absent>");
		List<String> listingDiffs = differences(newestDiffOf(REORDERED));
		JsonNode legacyContent = legacyReordered.path("content");
		int last = legacyContent.size() - 1;
		assertThat(listingDiffs).contains(
				"$.content[0].id|" + legacyContent.get(0).path("id") + "|" + legacyContent.get(last).path("id"),
				"$.content[" + last + "].id|" + legacyContent.get(last).path("id") + "|"
						+ legacyContent.get(0).path("id"));
		assertThat(listingDiffs).as("learned noise is not reported").noneMatch((d) -> d.startsWith("$.generatedAt"));

		// A hot reload adds rules for the dropped field and the array order: only the
		// price remains.
		gateway.rewriteRoutes("catalog.yml", route("""
				      ignore: [$.description]
				      arrayOrder: ignore
				"""));
		int diffsBefore = diffs().size();
		JsonNode reloaded = shadowStats();
		send(DETAIL, 1);
		send(REORDERED, 1);
		JsonNode afterRules = awaitCompared(reloaded, 2);
		assertThat(afterRules.path("mismatch").asLong() - reloaded.path("mismatch").asLong())
			.as("mismatches under the new rules: %s", afterRules)
			.isEqualTo(1);
		assertThat(diffs()).hasSize(diffsBefore + 1);
		assertThat(differences(diffs().get(0))).as("the newest diff, %s", diffs().get(0))
			.containsExactly("$.price|" + legacyDetail.path("price").decimalValue().toPlainString() + "|\""
					+ legacyDetail.path("price").decimalValue().toPlainString() + "\"");
		assertThat(diffs().get(0).path("pathWithQuery").asText()).isEqualTo(DETAIL);
	}

	private static void send(String path, int times) {
		for (int i = 0; i < times; i++) {
			HttpResponse<byte[]> response = Http.get(gateway.uri(path));
			assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
			assertThat(response.headers().firstValue("X-Strangler-Backend")).hasValue("legacy");
		}
	}

	private static JsonNode shadowStats() {
		return gateway.admin("/actuator/migration/catalog").path("stats").path("shadow");
	}

	private static JsonNode awaitCompared(JsonNode before, int more) {
		long expected = before.path("compared").asLong() + more;
		await("compared reaches " + expected).atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(shadowStats().path("compared").asLong()).as("%s", shadowStats())
				.isEqualTo(expected));
		return shadowStats();
	}

	private static JsonNode diffs() {
		return gateway.admin("/actuator/migration/catalog/diffs");
	}

	private static JsonNode newestDiffOf(String pathWithQuery) {
		for (JsonNode diff : diffs()) {
			if (pathWithQuery.equals(diff.path("pathWithQuery").asText())) {
				return diff;
			}
		}
		throw new AssertionError("No diff for " + pathWithQuery + " in " + diffs());
	}

	/** Each difference as {@code path|legacyValue|targetValue}. */
	private static List<String> differences(JsonNode diff) {
		List<String> differences = new ArrayList<>();
		for (JsonNode difference : diff.path("differences")) {
			differences.add(difference.path("path").asText() + "|" + difference.path("legacyValue").asText() + "|"
					+ difference.path("targetValue").asText());
		}
		return differences;
	}

}
