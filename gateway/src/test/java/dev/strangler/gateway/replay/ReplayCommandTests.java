package dev.strangler.gateway.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay command against two WireMock servers: legacy, and a target that differs in
 * one field (and in the ignored {@code generatedAt}).
 */
class ReplayCommandTests {

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@TempDir
	Path dir;

	Path routeFile;

	Path reports;

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void setUp() throws IOException {
		this.routeFile = Files.writeString(this.dir.resolve("catalog.yml"), """
				routes:
				  - id: catalog
				    match:
				      paths: [/api/products, /api/products/**]
				      methods: [GET, HEAD, POST]
				    legacy: http://127.0.0.1:1
				    target: http://127.0.0.1:1
				    stage: shadow
				    compare:
				      ignore: [$.generatedAt]
				      headers: [Content-Type]
				""");
		this.reports = this.dir.resolve("parity");
		stubProducts(legacy, "12.50");
	}

	static void stubProducts(WireMockExtension server, String price) {
		server.stubFor(get(urlPathMatching("/api/products/\\d+")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":1,\"name\":\"Lamp\",\"price\":" + price + ",\"generatedAt\":\"" + server.getPort()
					+ "\"}")));
		server.stubFor(get("/api/products/404").willReturn(aResponse().withStatus(404)
			.withHeader("Content-Type", "application/problem+json")
			.withBody("{\"status\":404}")));
	}

	int replay(String... args) {
		String[] all = new String[args.length + 8];
		System.arraycopy(new String[] { "--route-file", this.routeFile.toString(), "--legacy", legacy.baseUrl(),
				"--target", target.baseUrl(), "--report-dir", this.reports.toString() }, 0, all, 0, 8);
		System.arraycopy(args, 0, all, 8, args.length);
		return new ReplayCommand(new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8), Clock.systemUTC())
			.execute(all);
	}

	String report() throws IOException {
		return Files.readString(this.reports.resolve("parity-catalog.md"));
	}

	String junit() throws IOException {
		return Files.readString(this.reports.resolve("TEST-parity-catalog.xml"));
	}

	Path corpus(String... lines) throws IOException {
		return Files.writeString(this.dir.resolve("catalog.jsonl"), String.join("\n", lines) + "\n");
	}

	static String line(String method, String path) {
		return "{\"time\":\"2025-06-01T10:00:00Z\",\"route\":\"catalog\",\"method\":\"" + method + "\",\"path\":\""
				+ path + "\",\"headers\":{\"Accept\":[\"application/json\"]},\"bodyTruncated\":false,"
				+ "\"status\":200,\"backend\":\"legacy\"}";
	}

	@Nested
	class WhenTheTargetAnswersAlike {

		@Test
		void reportsZeroMismatchesAndExitsZero() throws IOException {
			stubProducts(target, "12.50");

			assertThat(replay("--generate", "20")).isZero();

			assertThat(ReplayCommandTests.this.out.toString()).contains("matches 20, mismatches 0, errors 0")
				.contains("PASS");
			assertThat(report()).contains("Result: **PASS**").contains("| 20 | 20 | 0 | 0 | 0 | 0.00% | 0% |");
			assertThat(junit()).contains("tests=\"20\" failures=\"0\" errors=\"0\"");
		}

	}

	@Nested
	class WhenTheTargetChangesOneField {

		@Test
		void namesThePathWithBothValuesAndExitsNonZero() throws IOException {
			stubProducts(target, "12.99");

			assertThat(replay("--corpus", corpus(line("GET", "/api/products/1"), line("GET", "/api/products/2"),
					line("GET", "/api/products/404"))
				.toString())).isEqualTo(ReplayCommand.FAILED);

			assertThat(ReplayCommandTests.this.out.toString()).contains("mismatches 2")
				.contains("differs at $.price in 2 request(s)")
				.contains("FAIL");
			assertThat(report()).contains("Result: **FAIL**")
				.contains("| `$.price` | 2 |")
				.contains("### GET /api/products/1 (legacy 200, target 200)")
				.contains("| `$.price` | `12.50` | `12.99` |")
				.doesNotContain("generatedAt");
			assertThat(junit()).contains("failures=\"2\"")
				.contains("<failure message=\"1 difference(s), first at $.price\"");
		}

		@Test
		void passesWhenTheMismatchRateIsWithinTheThreshold() throws IOException {
			stubProducts(target, "12.99");

			assertThat(replay("--corpus",
					corpus(line("GET", "/api/products/1"), line("GET", "/api/products/404")).toString(),
					"--max-mismatch-rate", "50"))
				.isZero();
		}

	}

	@Nested
	class Safety {

		@Test
		void neverReplaysUnsafeMethodsUnlessAllowed() throws IOException {
			stubProducts(target, "12.50");

			assertThat(replay("--corpus",
					corpus(line("POST", "/api/products/1"), line("GET", "/api/products/1")).toString()))
				.isZero();

			legacy.verify(0, postRequestedFor(anyUrl()));
			target.verify(0, postRequestedFor(anyUrl()));
			assertThat(report()).contains("## Skipped").contains("POST /api/products/1 (unsafe method");
		}

		@Test
		void aBackendThatCannotBeReachedIsAnErrorThatFailsTheRun() throws IOException {
			assertThat(new ReplayCommand(new PrintStream(ReplayCommandTests.this.out, true, StandardCharsets.UTF_8),
					new PrintStream(ReplayCommandTests.this.err, true, StandardCharsets.UTF_8), Clock.systemUTC())
				.execute(new String[] { "--route-file", ReplayCommandTests.this.routeFile.toString(), "--legacy",
						legacy.baseUrl(), "--target", "http://127.0.0.1:1", "--report-dir",
						ReplayCommandTests.this.reports.toString(), "--generate", "2" }))
				.isEqualTo(ReplayCommand.FAILED);
			assertThat(ReplayCommandTests.this.out.toString()).contains("errors 2");
			assertThat(report()).contains("## Errors").contains("target: ");
		}

	}

	@Nested
	class UsageErrors {

		@Test
		void needsExactlyOneRequestSource() {
			assertThat(replay()).isEqualTo(ReplayCommand.USAGE);
			assertThat(ReplayCommandTests.this.err.toString())
				.contains("give exactly one of --corpus <file> and --generate <n>")
				.contains("Usage:");
			target.verify(0, anyRequestedFor(anyUrl()));
		}

		@Test
		void namesAnUnknownRouteAndTheRoutesTheFileHas() {
			assertThat(replay("--generate", "1", "--route", "orders")).isEqualTo(ReplayCommand.USAGE);
			assertThat(ReplayCommandTests.this.err.toString()).contains("--route orders is not in")
				.contains("[catalog]");
		}

		@Test
		void rejectsAThresholdThatIsNotAPercentage() {
			assertThat(replay("--generate", "1", "--max-mismatch-rate", "150")).isEqualTo(ReplayCommand.USAGE);
			assertThat(ReplayCommandTests.this.err.toString())
				.contains("--max-mismatch-rate must be a percentage from 0 to 100 but was '150'");
		}

		@Test
		void reportsACorpusLineThatIsNotARecording() throws IOException {
			assertThat(replay("--corpus", corpus("not json").toString())).isEqualTo(ReplayCommand.USAGE);
			assertThat(ReplayCommandTests.this.err.toString()).contains("line 1 is not a recorded request");
		}

	}

}
