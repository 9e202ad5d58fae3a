package dev.strangler.gateway.shadow;

import java.time.Instant;
import java.util.List;

import dev.strangler.gateway.compare.DiffBuffer;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.compare.NoiseModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowReportsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ShadowReports reports = new ShadowReports(this.registry, new DiffBuffer(10), new NoiseModel());

	@Test
	void routeThatNeverMirroredReportsNothing() {
		assertThat(this.reports.stats("catalog")).isEqualTo(ShadowStats.NONE);
		assertThat(this.reports.diffs("catalog")).isEmpty();
	}

	@Test
	void countsEachResultAndTheMismatchRateOverComparedOnly() {
		this.reports.matched("catalog");
		this.reports.matched("catalog");
		this.reports.matched("catalog");
		this.reports.mismatched("catalog", record("$.price"));
		this.reports.failed("catalog");
		this.reports.skipped("catalog");
		this.reports.dropped("catalog");

		ShadowStats stats = this.reports.stats("catalog");
		assertThat(stats.compared()).isEqualTo(4);
		assertThat(stats.match()).isEqualTo(3);
		assertThat(stats.mismatch()).isEqualTo(1);
		assertThat(stats.error()).isEqualTo(1);
		assertThat(stats.skipped()).isEqualTo(1);
		assertThat(stats.dropped()).isEqualTo(1);
		assertThat(stats.mismatchRate()).isEqualTo(0.25);
	}

	@Test
	void countsIntoTheMicrometerMetersByRouteAndResult() {
		this.reports.matched("catalog");
		this.reports.mismatched("catalog", record("$.price"));
		this.reports.failed("orders");
		this.reports.dropped("orders");

		assertThat(count("strangler.shadow.comparisons", "route", "catalog", "result", "match")).isEqualTo(1);
		assertThat(count("strangler.shadow.comparisons", "route", "catalog", "result", "mismatch")).isEqualTo(1);
		assertThat(count("strangler.shadow.comparisons", "route", "orders", "result", "error")).isEqualTo(1);
		assertThat(count("strangler.shadow.dropped", "route", "orders")).isEqualTo(1);
	}

	@Test
	void aRouteHasEveryMeterFromItsFirstMirrorOnAtZero() {
		assertThat(this.registry.find("strangler.shadow.dropped").counters()).isEmpty();

		this.reports.matched("catalog");

		assertThat(count("strangler.shadow.comparisons", "route", "catalog", "result", "match")).isEqualTo(1);
		assertThat(count("strangler.shadow.comparisons", "route", "catalog", "result", "mismatch")).isZero();
		assertThat(count("strangler.shadow.comparisons", "route", "catalog", "result", "error")).isZero();
		assertThat(count("strangler.shadow.comparisons", "route", "catalog", "result", "skipped")).isZero();
		assertThat(count("strangler.shadow.dropped", "route", "catalog")).isZero();
		assertThat(this.registry.find("strangler.shadow.dropped").tag("route", "orders").counter()).isNull();
	}

	@Test
	void topDifferingPathsCountArrayElementsAsOnePathMostFrequentFirst() {
		this.reports.mismatched("catalog", record("$.content[0].price", "$.generatedAt"));
		this.reports.mismatched("catalog", record("$.content[3].price"));

		assertThat(this.reports.stats("catalog").topDifferingPaths()).containsExactly(
				new ShadowStats.PathCount("$.content[*].price", 2), new ShadowStats.PathCount("$.generatedAt", 1));
	}

	@Test
	void mismatchesGoToTheRoutesDiffBufferNewestFirst() {
		DiffRecord first = record("$.a");
		DiffRecord second = record("$.b");
		this.reports.mismatched("catalog", first);
		this.reports.mismatched("catalog", second);

		assertThat(this.reports.diffs("catalog")).containsExactly(second, first);
		assertThat(this.reports.diffs("orders")).isEmpty();
	}

	/** The count of a registered counter; fails when there is none. */
	private double count(String name, String... tags) {
		return this.registry.get(name).tags(tags).counter().count();
	}

	private static DiffRecord record(String... paths) {
		List<Difference> differences = java.util.Arrays.stream(paths)
			.map((path) -> new Difference(path, "1", "2"))
			.toList();
		return new DiffRecord(Instant.parse("2025-01-01T00:00:00Z"), "GET", "/api/products", 200, 200, differences,
				"trace");
	}

}
