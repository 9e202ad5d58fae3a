package dev.strangler.gateway.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import dev.strangler.gateway.route.Percent;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RolloutDeciderTests {

	private static final String ROUTE = "catalog";

	private static final int KEYS = 10_000;

	private final RolloutDecider decider = new RolloutDecider(new Random(42)::nextDouble);

	private static List<String> keys() {
		List<String> keys = new ArrayList<>(KEYS);
		for (int i = 0; i < KEYS; i++) {
			keys.add("user-" + i);
		}
		return keys;
	}

	private double targetShareInPercent(Percent percent, List<Optional<String>> keys) {
		long target = keys.stream().filter((key) -> this.decider.decide(ROUTE, percent, key) == Backend.TARGET).count();
		return 100.0 * target / keys.size();
	}

	@Nested
	class WithAStickyKey {

		@ParameterizedTest
		@ValueSource(strings = { "1", "10", "50", "99.5" })
		void targetShareOverDistinctKeysMatchesThePercent(String percent) {
			List<Optional<String>> keys = keys().stream().map(Optional::of).toList();
			double share = targetShareInPercent(Percent.parse(percent), keys);
			assertThat(share).isCloseTo(Double.parseDouble(percent), within(1.0));
		}

		@Test
		void sameKeyGetsTheSameAnswerEveryTime() {
			for (String percent : List.of("5", "25", "50", "99.5")) {
				for (String key : keys()) {
					Backend first = RolloutDeciderTests.this.decider.decide(ROUTE, Percent.parse(percent),
							Optional.of(key));
					Backend second = RolloutDeciderTests.this.decider.decide(ROUTE, Percent.parse(percent),
							Optional.of(key));
					assertThat(second).as("key %s at %s%%", key, percent).isEqualTo(first);
				}
			}
		}

		@Test
		void raisingPercentNeverMovesAKeyBackToLegacy() {
			List<Percent> steps = List.of("0", "5", "25", "50", "100").stream().map(Percent::parse).toList();
			for (String key : keys()) {
				boolean wasTarget = false;
				for (Percent percent : steps) {
					boolean isTarget = RolloutDeciderTests.this.decider.decide(ROUTE, percent,
							Optional.of(key)) == Backend.TARGET;
					assertThat(isTarget || !wasTarget).as("key %s at %s%%", key, percent).isTrue();
					wasTarget = isTarget;
				}
				assertThat(wasTarget).as("key %s at 100%%", key).isTrue();
			}
		}

		@Test
		void zeroPercentNeverSendsToTarget() {
			assertThat(targetShareInPercent(Percent.ZERO, keys().stream().map(Optional::of).toList())).isZero();
		}

		@Test
		void hundredPercentAlwaysSendsToTarget() {
			assertThat(targetShareInPercent(Percent.ALL, keys().stream().map(Optional::of).toList())).isEqualTo(100.0);
		}

	}

	@Nested
	class WithoutAKey {

		@ParameterizedTest
		@ValueSource(strings = { "1", "10", "50", "99.5" })
		void requestsAreSplitAtRandomInTheRightShare(String percent) {
			List<Optional<String>> keyless = keys().stream().map((key) -> Optional.<String>empty()).toList();
			double share = targetShareInPercent(Percent.parse(percent), keyless);
			assertThat(share).isCloseTo(Double.parseDouble(percent), within(2.0));
		}

		@Test
		void randomValueDecidesTheBackend() {
			RolloutDecider pinned = new RolloutDecider(() -> 0.2499);
			assertThat(pinned.decide(ROUTE, Percent.parse("25"), Optional.empty())).isEqualTo(Backend.TARGET);
			RolloutDecider above = new RolloutDecider(() -> 0.25);
			assertThat(above.decide(ROUTE, Percent.parse("25"), Optional.empty())).isEqualTo(Backend.LEGACY);
		}

		@Test
		void zeroAndHundredPercentIgnoreTheRandomValue() {
			RolloutDecider lowest = new RolloutDecider(() -> 0.0);
			RolloutDecider highest = new RolloutDecider(() -> Math.nextDown(1.0));
			assertThat(lowest.decide(ROUTE, Percent.ZERO, Optional.empty())).isEqualTo(Backend.LEGACY);
			assertThat(highest.decide(ROUTE, Percent.ALL, Optional.empty())).isEqualTo(Backend.TARGET);
		}

	}

}
