package dev.strangler.gateway.evidence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.rollout.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalEvidenceTests {

	private Instant now = Instant.parse("2026-12-03T10:00:03Z");

	private final Clock clock = new Clock() {

		@Override
		public Instant instant() {
			return LocalEvidenceTests.this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	};

	private final LocalEvidence evidence = new LocalEvidence(this.clock, Duration.ofSeconds(10), Duration.ofMinutes(1));

	@Test
	void aFlushMovesWhatWasCountedIntoTheCurrentBucketAndHandsItOnOnce() {
		this.evidence.request("catalog", Backend.TARGET, 200, Duration.ofMillis(5).toNanos());
		this.evidence.request("catalog", Backend.TARGET, 503, Duration.ofMillis(7).toNanos());
		this.evidence.request("catalog", Backend.LEGACY, 200, Duration.ofMillis(4).toNanos());
		this.evidence.shadow("catalog", ShadowResult.MATCH);
		this.evidence.shadow("catalog", ShadowResult.MISMATCH);

		List<BucketDelta> deltas = this.evidence.flush();

		assertThat(deltas).singleElement().satisfies((delta) -> {
			assertThat(delta.routeId()).isEqualTo("catalog");
			assertThat(delta.start()).isEqualTo(Instant.parse("2026-12-03T10:00:00Z"));
			EvidenceFigures figures = EvidenceSlots.figures(delta.slots());
			assertThat(figures.target().requests()).isEqualTo(2);
			assertThat(figures.target().errors()).isEqualTo(1);
			assertThat(figures.legacy().requests()).isEqualTo(1);
			assertThat(figures.shadow().mismatchRate()).isEqualTo(0.5);
		});
		assertThat(this.evidence.flush()).as("nothing new counted").isEmpty();
	}

	@Test
	void aFlushHandsOnTheMismatchesRecordedSinceTheLastOneWithTheirPathsCountedOncePerMismatch() {
		DiffRecord first = diff("/api/products/1", "$.content[0].price", "$.content[3].price", "status");
		DiffRecord second = diff("/api/products/2", "$.content[1].price");
		this.evidence.differed("catalog", first);
		this.evidence.differed("catalog", second);

		assertThat(this.evidence.flush()).singleElement().satisfies((delta) -> {
			assertThat(delta.diffs()).containsExactly(first, second);
			assertThat(delta.paths()).isEqualTo(Map.of("$.content[*].price", 2L, "status", 1L));
		});
		assertThat(this.evidence.flush()).as("handed on once").isEmpty();
		assertThat(this.evidence.window("catalog", Duration.ofMinutes(1)).topDifferingPaths(1))
			.as("the instance's own window counts them too")
			.isEqualTo(Map.of("$.content[*].price", 2L));
	}

	@Test
	void aFlushHandsOnAtMostTheCapOfMismatchesNewestKeptAndAtMostTheBoundOfPaths() {
		LocalEvidence capped = new LocalEvidence(this.clock, Duration.ofSeconds(10), Duration.ofMinutes(1), 2);
		for (int i = 0; i < 3; i++) {
			capped.differed("catalog", diff("/api/products/" + i, "$.a"));
		}
		IntStream.range(0, BucketDelta.MAX_PATHS + 20)
			.forEach((i) -> capped.differed("catalog", diff("/api/other", "$.field" + i)));

		BucketDelta delta = capped.flush().get(0);

		assertThat(delta.diffs()).extracting(DiffRecord::pathWithQuery).containsExactly("/api/other", "/api/other");
		assertThat(delta.paths()).hasSize(BucketDelta.MAX_PATHS).containsEntry("$.a", 3L);
		capped.differed("catalog", diff("/api/products/9", "$.new"));
		capped.flush();
		assertThat(capped.window("catalog", Duration.ofMinutes(1)).topDifferingPaths(1000))
			.as("a full bucket counts no new path")
			.hasSize(BucketDelta.MAX_PATHS)
			.doesNotContainKey("$.new");
	}

	private DiffRecord diff(String path, String... differingPaths) {
		return new DiffRecord(this.now, "GET", path, 200, 200,
				List.of(differingPaths).stream().map((at) -> new Difference(at, "1", "2")).toList(), null);
	}

	@Test
	void aWindowListsTheBucketsItSpansAndAddsThemUp() {
		this.evidence.shadow("catalog", ShadowResult.MATCH);
		this.evidence.flush();
		this.now = this.now.plusSeconds(10);
		this.evidence.shadow("catalog", ShadowResult.MISMATCH);
		this.evidence.request("catalog", Backend.LEGACY, 200, Duration.ofMillis(3).toNanos());
		this.evidence.flush();

		EvidenceWindow lastTenSeconds = this.evidence.window("catalog", Duration.ofSeconds(3));
		EvidenceWindow lastMinute = this.evidence.window("catalog", Duration.ofMinutes(1));

		assertThat(lastTenSeconds.intervals()).hasSize(1);
		assertThat(lastTenSeconds.total().shadow()).isEqualTo(new ShadowFigures(0, 1, 0, 0, 0));
		assertThat(lastMinute.intervals()).extracting(EvidenceInterval::start)
			.containsExactly(Instant.parse("2026-12-03T10:00:00Z"), Instant.parse("2026-12-03T10:00:10Z"));
		assertThat(lastMinute.total().shadow()).isEqualTo(new ShadowFigures(1, 1, 0, 0, 0));
		assertThat(lastMinute.total().legacy().p99())
			.hasValueSatisfying((p99) -> assertThat(p99).isBetween(Duration.ofMillis(3), Duration.ofMillis(4)));
		assertThat(lastMinute.scope()).isEqualTo(EvidenceWindow.Scope.INSTANCE);
	}

	@Test
	void bucketsOlderThanTheRetentionAreForgotten() {
		this.evidence.shadow("catalog", ShadowResult.ERROR);
		this.evidence.flush();
		this.now = this.now.plus(Duration.ofMinutes(2));
		this.evidence.flush();

		assertThat(this.evidence.window("catalog", Duration.ofMinutes(5)).intervals()).isEmpty();
	}

	@Test
	void unroutedRequestsAndUnknownRoutesCountNothing() {
		this.evidence.flush();
		assertThat(this.evidence.window("nope", Duration.ofMinutes(1)).total()).isEqualTo(EvidenceFigures.NONE);
	}

}
