package dev.strangler.gateway.evidence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

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
