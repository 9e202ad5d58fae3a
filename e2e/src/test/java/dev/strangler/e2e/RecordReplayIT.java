package dev.strangler.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.strangler.e2e.AppProcess.Exited;
import dev.strangler.e2e.E2eEnvironment.Backends;
import dev.strangler.gateway.replay.ReplayCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The record → replay round trip on real processes (docs/record-replay.md): a gateway
 * with the catalog route in {@code shadow} records 500 client requests; the
 * {@code replay} command, run from the gateway's jar as its own process, replays that
 * corpus against the monolith and catalog-service and finds them alike, then against a
 * target that answers one recorded product with one field changed, and fails naming that
 * field with both values, in the Markdown report and in the JUnit XML.
 */
@EndToEnd
class RecordReplayIT {

	private static final int RECORDED = 500;

	/** A recorded request the wrong target answers with a changed {@code name}. */
	private static final String CHANGED = "/api/products/17";

	/** Sent by some clients; never to be written to a corpus. */
	private static final String SECRET = "e2e-secret-never-recorded";

	private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(3);

	/** catalog-service behind a proxy, except for {@link #CHANGED}. */
	private static final WireMockServer wrongTarget = new WireMockServer(
			options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));

	private static Backends backends;

	private static AdminGateway gateway;

	private static final List<String> sent = new ArrayList<>();

	private static Path corpus;

	private static JsonNode legacyProduct;

	private static String renamed;

	@BeforeAll
	static void record(E2eEnvironment env) throws IOException {
		backends = env.backends();
		String route = GatewaySetup.catalogRoute(GatewaySetup.Stage.SHADOW, backends.legacy().baseUri(),
				backends.catalog().baseUri()) + """
						    shadow:
						      timeout: 10s
						    compare:
						      ignore: [$.generatedAt]
						      headers: [Content-Type]
						""";
		gateway = AdminGateway.start("gateway-record-replay", backends.legacy().baseUri(), Map.of("catalog.yml", route),
				"--strangler.record.routes=catalog");
		// The documented default place: recordings/ in the state directory, which
		// AdminGateway empties before the start.
		corpus = gateway.stateDir().resolve("recordings").resolve("catalog.jsonl");

		List<String> catalogCorpus = CatalogRequests.corpus(backends.legacy())
			.stream()
			.filter((path) -> path.startsWith("/api/products"))
			.toList();
		for (int i = 0; sent.size() < RECORDED; i++) {
			String path = catalogCorpus.get(i % catalogCorpus.size());
			var request = Http.request(gateway.uri(path)).header("Accept", "application/json");
			if (i % 10 == 0) {
				request.header("Authorization", "Bearer " + SECRET).header("Cookie", "session=" + SECRET);
			}
			HttpResponse<byte[]> response = Http.exchange(request.GET().build());
			assertThat(response.headers().firstValue("X-Strangler-Backend")).as("GET %s", path).hasValue("legacy");
			assertThat(response.statusCode()).as("GET %s", path).isLessThan(500);
			sent.add(path);
		}
		await("corpus of " + RECORDED + " lines").atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> lines(corpus).size() == RECORDED);

		HttpResponse<byte[]> product = Http.get(backends.legacy().uri(CHANGED));
		legacyProduct = JsonComparison.parse(product.body());
		renamed = legacyProduct.path("name").asText() + " (renamed)";
		ObjectNode wrong = legacyProduct.deepCopy();
		wrong.put("name", renamed);
		wrongTarget.start();
		wrongTarget.stubFor(any(anyUrl()).atPriority(10)
			.willReturn(aResponse().proxiedFrom(backends.catalog().baseUri().toString())));
		wrongTarget.stubFor(get(urlPathEqualTo(CHANGED)).atPriority(1)
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", product.headers().firstValue("Content-Type").orElseThrow())
				.withBody(wrong.toString())));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		wrongTarget.stop();
	}

	@Test
	void recordsEveryRequestOfTheRouteInOrderWithoutCredentials() throws IOException {
		List<String> lines = lines(corpus);
		List<String> recorded = new ArrayList<>();
		for (String line : lines) {
			JsonNode entry = JsonComparison.parse(line.getBytes(StandardCharsets.UTF_8));
			assertThat(entry.path("route").asText()).as(line).isEqualTo("catalog");
			assertThat(entry.path("method").asText()).as(line).isEqualTo("GET");
			assertThat(entry.path("backend").asText()).as(line).isEqualTo("legacy");
			assertThat(entry.path("headers").path("Accept").path(0).asText()).as(line).isEqualTo("application/json");
			assertThat(entry.path("bodySha256").asText()).as(line).hasSize(64);
			String query = entry.path("query").asText("");
			recorded.add(entry.path("path").asText() + (query.isEmpty() ? "" : "?" + query));
		}
		assertThat(recorded).containsExactlyElementsOf(sent);
		assertThat(String.join("\n", lines)).as("credentials in the corpus")
			.doesNotContain(SECRET)
			.doesNotContainIgnoringCase("authorization")
			.doesNotContainIgnoringCase("cookie");
	}

	@Test
	void replayAgainstTheMonolithAndCatalogServiceFindsEveryRecordedRequestAlike() throws Exception {
		Path reports = reportDir("replay-catalog-service");
		Exited replay = replay("replay-catalog-service", backends.catalog().baseUri(), reports);
		System.out.printf("RecordReplayIT: replay against catalog-service exited %d:%n%s%n", replay.status(),
				replay.output());

		assertThat(replay.status()).as("exit status, output:\n%s", replay.output()).isEqualTo(ReplayCommand.PASSED);
		assertThat(replay.output()).contains("Replayed " + RECORDED + " requests of route 'catalog'")
			.contains("matches " + RECORDED + ", mismatches 0, errors 0, skipped 0")
			.contains("PASS");
		String markdown = Files.readString(reports.resolve("parity-catalog.md"));
		assertThat(markdown).contains("- Result: **PASS**")
			.contains("| " + RECORDED + " | " + RECORDED + " | 0 | 0 | 0 | 0.00% | 0% |")
			.doesNotContain("## Mismatches");
		Element suite = junit(reports).getDocumentElement();
		assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(RECORDED));
		assertThat(suite.getAttribute("failures")).isEqualTo("0");
		assertThat(suite.getAttribute("errors")).isEqualTo("0");
	}

	@Test
	void replayAgainstATargetWithOneChangedFieldFailsAndNamesThatPathWithBothValues() throws Exception {
		long changedRequests = sent.stream().filter(CHANGED::equals).count();
		assertThat(changedRequests).as("recorded requests of %s", CHANGED).isPositive();
		Path reports = reportDir("replay-wrong-target");
		Exited replay = replay("replay-wrong-target", URI.create(wrongTarget.baseUrl()), reports);
		System.out.printf("RecordReplayIT: replay against the wrong target exited %d:%n%s%n", replay.status(),
				replay.output());

		String legacyName = legacyProduct.path("name").toString();
		String targetName = "\"" + renamed + "\"";
		assertThat(replay.status()).as("exit status, output:\n%s", replay.output()).isEqualTo(ReplayCommand.FAILED);
		assertThat(replay.output())
			.contains("matches " + (RECORDED - changedRequests) + ", mismatches " + changedRequests + ", errors 0")
			.contains("differs at $.name in " + changedRequests + " request(s)")
			.contains("FAIL");

		String markdown = Files.readString(reports.resolve("parity-catalog.md"));
		assertThat(markdown).contains("- Result: **FAIL**")
			.contains("| `$.name` | " + changedRequests + " |")
			.contains("### GET " + CHANGED + " (legacy 200, target 200)")
			.contains("| `$.name` | `" + legacyName + "` | `" + targetName + "` |");
		assertThat(markdown.lines().filter((line) -> line.startsWith("| `$."))).as("differing paths in the report")
			.allMatch((line) -> line.startsWith("| `$.name` |"));

		Element suite = junit(reports).getDocumentElement();
		assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(RECORDED));
		assertThat(suite.getAttribute("failures")).isEqualTo(String.valueOf(changedRequests));
		NodeList failures = suite.getElementsByTagName("failure");
		assertThat(failures.getLength()).isEqualTo((int) changedRequests);
		for (int i = 0; i < failures.getLength(); i++) {
			Element failure = (Element) failures.item(i);
			Element testCase = (Element) failure.getParentNode();
			assertThat(testCase.getAttribute("name")).endsWith("GET " + CHANGED);
			assertThat(failure.getAttribute("message")).isEqualTo("1 difference(s), first at $.name");
			assertThat(failure.getTextContent().trim())
				.isEqualTo("$.name: legacy " + legacyName + " | target " + targetName);
		}
	}

	/**
	 * Runs {@code java -jar <gateway jar> replay …} to its end, as a user would.
	 */
	private static Exited replay(String name, URI target, Path reports) {
		return AppProcess.builder(name, AdminGateway.gatewayJar())
			.arg("replay")
			.arg("--route-file")
			.arg(gateway.routesDir().resolve("catalog.yml").toString())
			.arg("--route")
			.arg("catalog")
			.arg("--corpus")
			.arg(corpus.toString())
			.arg("--legacy")
			.arg(backends.legacy().baseUri().toString())
			.arg("--target")
			.arg(target.toString())
			.arg("--report-dir")
			.arg(reports.toString())
			.arg("--max-mismatch-rate")
			.arg("0")
			.runToExit(REPLAY_TIMEOUT);
	}

	/**
	 * An empty report directory: an earlier run's report must not pass for this one's.
	 */
	private static Path reportDir(String name) throws IOException {
		Path dir = E2eDirectories.work(name).resolve("parity");
		Files.deleteIfExists(dir.resolve("parity-catalog.md"));
		Files.deleteIfExists(dir.resolve("TEST-parity-catalog.xml"));
		return dir;
	}

	private static Document junit(Path reports) throws Exception {
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(reports.resolve("TEST-parity-catalog.xml").toFile());
	}

	/**
	 * The complete lines of a corpus file (a line still being written is not one yet).
	 */
	private static List<String> lines(Path file) throws IOException {
		if (!Files.exists(file)) {
			return List.of();
		}
		String text = Files.readString(file, StandardCharsets.UTF_8);
		int end = text.lastIndexOf('\n');
		return (end < 0) ? List.of() : text.substring(0, end).lines().toList();
	}

}
