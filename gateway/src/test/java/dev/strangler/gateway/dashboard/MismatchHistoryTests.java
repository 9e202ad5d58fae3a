package dev.strangler.gateway.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.strangler.gateway.shadow.ShadowStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MismatchHistoryTests {

	private final List<String> routes = new ArrayList<>(List.of("catalog"));

	private final Map<String, ShadowStats> stats = new HashMap<>();

	private final MismatchHistory history = new MismatchHistory(() -> this.routes,
			(id) -> this.stats.getOrDefault(id, ShadowStats.NONE),
			Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), 3);

	@Test
	void eachPointIsTheRateOfItsIntervalNotSinceStartUp() {
		counts(0, 0);
		this.history.sample();
		counts(10, 0);
		this.history.sample();
		counts(20, 5);
		this.history.sample();
		assertThat(this.history.points("catalog")).extracting(MismatchHistory.Point::mismatchRate)
			.containsExactly(0.0, 0.5);
		assertThat(this.history.points("catalog")).extracting(MismatchHistory.Point::compared)
			.containsExactly(10L, 10L);
	}

	@Test
	void keepsABoundedNumberOfIntervalsAndForgetsRoutesThatAreGone() {
		for (int i = 0; i < 10; i++) {
			counts(i * 10, i);
			this.history.sample();
		}
		assertThat(this.history.points("catalog")).hasSize(3);
		this.routes.clear();
		this.history.sample();
		assertThat(this.history.points("catalog")).isEmpty();
	}

	@Test
	void anIntervalWithoutComparisonsHasARateOfZero() {
		this.history.sample();
		this.history.sample();
		assertThat(this.history.points("catalog")).extracting(MismatchHistory.Point::mismatchRate).containsExactly(0.0);
	}

	private void counts(long compared, long mismatch) {
		this.stats.put("catalog", new ShadowStats(compared, compared - mismatch, mismatch, 0, 0, 0,
				(compared > 0) ? (double) mismatch / compared : 0, List.of()));
	}

}
