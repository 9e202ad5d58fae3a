package dev.strangler.gateway.compare;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.strangler.gateway.route.Route.ArrayOrder;

/**
 * Throughput of the comparison engine on catalog-like JSON documents of 2, 20 and 200 KB
 * (each side exactly that size), equal or slightly different (one price as a string, one
 * dropped field), under strict rules or lenient ones (a deep-scan ignore, unordered
 * arrays, a tolerance). MB/s = ops/s × document size; each operation parses and walks
 * both documents. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ComparatorBenchmark {

	private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

	@Param({ "2", "20", "200" })
	public int kilobytes;

	@Param({ "equal", "different" })
	public String variant;

	@Param({ "strict", "lenient" })
	public String rules;

	private final ResponseComparator comparator = new ResponseComparator();

	private CompareRules compareRules;

	private CapturedResponse legacy;

	private CapturedResponse target;

	@Setup
	public void setUp() {
		int bytes = this.kilobytes * 1024;
		String legacyJson = CatalogDocument.of(bytes);
		String targetJson = this.variant.equals("equal") ? legacyJson : CatalogDocument.slightlyDifferent(legacyJson);
		this.legacy = CapturedResponse.of(200, JSON, legacyJson.getBytes(StandardCharsets.UTF_8));
		this.target = CapturedResponse.of(200, JSON, targetJson.getBytes(StandardCharsets.UTF_8));
		this.compareRules = this.rules.equals("strict") ? CompareRules.DEFAULT : new CompareRules(List.of("$..etag"),
				List.of("Content-Type"), ArrayOrder.IGNORE, new BigDecimal("0.01"));
		Comparison check = this.comparator.compare(this.compareRules, this.legacy, this.target);
		if (check.isMatch() != this.variant.equals("equal")) {
			throw new IllegalStateException("Benchmark fixture is wrong: " + check);
		}
	}

	@Benchmark
	public Comparison compare() {
		return this.comparator.compare(this.compareRules, this.legacy, this.target);
	}

	/**
	 * A product page like the catalog's, padded to an exact size.
	 */
	static final class CatalogDocument {

		private CatalogDocument() {
		}

		static String of(int bytes) {
			String head = "{\"generatedAt\":\"2024-05-01T10:00:00Z\",\"page\":{\"number\":0,\"size\":50},\"content\":[";
			String tail = "],\"padding\":\"\"}";
			StringBuilder json = new StringBuilder(head);
			int id = 0;
			while (true) {
				String item = item(id);
				int next = json.length() + ((id > 0) ? 1 : 0) + item.length() + tail.length();
				if (next > bytes) {
					break;
				}
				json.append((id > 0) ? "," : "").append(item);
				id++;
			}
			int padding = bytes - json.length() - tail.length();
			json.append("],\"padding\":\"").append("x".repeat(Math.max(0, padding))).append("\"}");
			return json.toString();
		}

		private static String item(int id) {
			return "{\"id\":" + id + ",\"sku\":\"SKU-" + (10000 + id) + "\",\"name\":\"Product " + id + "\",\"price\":"
					+ (id % 90 + 10) + "." + (id % 10) + "0,\"currency\":\"EUR\",\"tags\":[\"t" + (id % 7) + "\",\"t"
					+ (id % 5) + "\"],\"stock\":{\"warehouse\":\"W" + (id % 3) + "\",\"quantity\":" + (id % 50)
					+ "},\"etag\":\"e" + id + "\"}";
		}

		/** One price as a string, one field dropped: the kind of slip a port makes. */
		static String slightlyDifferent(String json) {
			return json.replaceFirst("\"price\":(\\d+\\.\\d+),", "\"price\":\"$1\",")
				.replaceFirst("\"currency\":\"EUR\",", "");
		}

	}

}
