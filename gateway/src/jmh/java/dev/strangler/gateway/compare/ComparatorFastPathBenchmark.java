package dev.strangler.gateway.compare;

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

/**
 * The comparison's fast path: a target that answers legacy's bytes exactly (the common
 * case for a correct port behind the shadow stage) is matched by a byte comparison,
 * against the same document spelled differently (extra spaces after the colons), which
 * still has to be parsed and walked. Both match; the ratio of the two is what the fast
 * path saves per mirrored request. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="ComparatorFastPath"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ComparatorFastPathBenchmark {

	private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

	@Param({ "2", "20", "200" })
	public int kilobytes;

	@Param({ "identical", "respelled" })
	public String target;

	private final ResponseComparator comparator = new ResponseComparator();

	private CapturedResponse legacyResponse;

	private CapturedResponse targetResponse;

	@Setup
	public void setUp() {
		String legacyJson = ComparatorBenchmark.CatalogDocument.of(this.kilobytes * 1024);
		String targetJson = this.target.equals("identical") ? legacyJson : legacyJson.replace("\":", "\": ");
		this.legacyResponse = CapturedResponse.of(200, JSON, legacyJson.getBytes(StandardCharsets.UTF_8));
		// a copy, so that the fast path compares two arrays as it would two answers
		this.targetResponse = CapturedResponse.of(200, JSON, targetJson.getBytes(StandardCharsets.UTF_8));
		Comparison check = this.comparator.compare(CompareRules.DEFAULT, this.legacyResponse, this.targetResponse);
		if (!check.isMatch()) {
			throw new IllegalStateException("Benchmark fixture is wrong: " + check);
		}
	}

	@Benchmark
	public Comparison compare() {
		return this.comparator.compare(CompareRules.DEFAULT, this.legacyResponse, this.targetResponse);
	}

}
