package dev.strangler.gateway.rollout;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.route.StickyKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.lang.Nullable;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class StageBackendSelectorTests {

	private static final StickyRequest USER_42 = StickyRequest.builder().header("X-User-Id", "42").build();

	private static final StickyRequest NO_KEY = StickyRequest.builder().build();

	/** Counts draws so tests can tell when the random split was (not) consulted. */
	private final AtomicInteger draws = new AtomicInteger();

	private double nextRandom = 0.0;

	private final BackendSelector selector = new StageBackendSelector(new RolloutDecider(() -> {
		this.draws.incrementAndGet();
		return this.nextRandom;
	}), new StickyKeyExtractor(TrustedProxies.none()));

	@Nested
	class StagesOtherThanCanary {

		@ParameterizedTest
		@ValueSource(strings = { "0", "50", "100" })
		void legacyIsServedByLegacyWhateverThePercent(String percent) {
			assertThat(select(Stage.LEGACY, percent, "header:X-User-Id", USER_42)).isEqualTo(Backend.LEGACY);
			assertThat(select(Stage.LEGACY, percent, null, NO_KEY)).isEqualTo(Backend.LEGACY);
		}

		@ParameterizedTest
		@ValueSource(strings = { "0", "50", "100" })
		void shadowIsServedByLegacyWhateverThePercentBecauseTheCopyIsOnlyMirrored(String percent) {
			assertThat(select(Stage.SHADOW, percent, "header:X-User-Id", USER_42)).isEqualTo(Backend.LEGACY);
			assertThat(select(Stage.SHADOW, percent, null, NO_KEY)).isEqualTo(Backend.LEGACY);
		}

		@ParameterizedTest
		@ValueSource(strings = { "0", "50", "100" })
		void migratedIsServedByTargetWhateverThePercent(String percent) {
			assertThat(select(Stage.MIGRATED, percent, "header:X-User-Id", USER_42)).isEqualTo(Backend.TARGET);
			assertThat(select(Stage.MIGRATED, percent, null, NO_KEY)).isEqualTo(Backend.TARGET);
		}

		@ParameterizedTest
		@EnumSource(value = Stage.class, names = "CANARY", mode = EnumSource.Mode.EXCLUDE)
		void neverDrawsARandomNumber(Stage stage) {
			select(stage, "50", null, NO_KEY);
			assertThat(StageBackendSelectorTests.this.draws).hasValue(0);
		}

	}

	@Test
	void onlyACanaryWithAStickyKeyReadsTheRequest() {
		assertThat(this.selector.readsRequest(route(Stage.CANARY, "50", "header:X-User-Id"))).isTrue();
		assertThat(this.selector.readsRequest(route(Stage.CANARY, "50", null))).isFalse();
		for (Stage stage : List.of(Stage.LEGACY, Stage.SHADOW, Stage.MIGRATED)) {
			assertThat(this.selector.readsRequest(route(stage, "50", "header:X-User-Id"))).as(stage.value()).isFalse();
		}
	}

	@Nested
	class Canary {

		@Test
		void zeroPercentIsServedByLegacyAndHundredPercentByTarget() {
			assertThat(select(Stage.CANARY, "0", "header:X-User-Id", USER_42)).isEqualTo(Backend.LEGACY);
			assertThat(select(Stage.CANARY, "100", "header:X-User-Id", USER_42)).isEqualTo(Backend.TARGET);
			assertThat(select(Stage.CANARY, "0", null, NO_KEY)).isEqualTo(Backend.LEGACY);
			assertThat(select(Stage.CANARY, "100", null, NO_KEY)).isEqualTo(Backend.TARGET);
		}

		@Test
		void aKeyedRequestGoesWhereItsBucketSaysWithoutDrawing() {
			for (int user = 0; user < 200; user++) {
				StickyRequest request = StickyRequest.builder().header("X-User-Id", "user-" + user).build();
				Backend expected = RolloutBucket.of("catalog", "user-" + user).isBelow(Percent.parse("30"))
						? Backend.TARGET : Backend.LEGACY;
				assertThat(select(Stage.CANARY, "30", "header:X-User-Id", request)).as("user-" + user)
					.isEqualTo(expected);
			}
			assertThat(StageBackendSelectorTests.this.draws).hasValue(0);
		}

		@Test
		void aRequestWithoutTheRoutesKeyIsSplitAtRandom() {
			StageBackendSelectorTests.this.nextRandom = 0.2999;
			assertThat(select(Stage.CANARY, "30", "header:X-User-Id", NO_KEY)).isEqualTo(Backend.TARGET);
			StageBackendSelectorTests.this.nextRandom = 0.30;
			assertThat(select(Stage.CANARY, "30", "header:X-User-Id", NO_KEY)).isEqualTo(Backend.LEGACY);
			assertThat(StageBackendSelectorTests.this.draws).hasValue(2);
		}

		@Test
		void aRouteWithoutStickyByIgnoresKeysInTheRequestAndSplitsAtRandom() {
			StageBackendSelectorTests.this.nextRandom = 0.99;
			assertThat(select(Stage.CANARY, "50", null, USER_42)).isEqualTo(Backend.LEGACY);
			StageBackendSelectorTests.this.nextRandom = 0.01;
			assertThat(select(Stage.CANARY, "50", null, USER_42)).isEqualTo(Backend.TARGET);
		}

		@Test
		void theSameKeyOnTwoRoutesFallsIntoIndependentBuckets() {
			long differing = java.util.stream.IntStream.range(0, 1_000)
				.filter((user) -> RolloutBucket.of("catalog", "u" + user).isBelow(Percent.parse("50")) != RolloutBucket
					.of("orders", "u" + user)
					.isBelow(Percent.parse("50")))
				.count();
			// Independent 50/50 choices differ for about half of the keys.
			assertThat(differing).isBetween(400L, 600L);
		}

		@ParameterizedTest
		@ValueSource(strings = { "cookie:session", "query:user", "client-ip" })
		void everyKindOfKeyIsReadFromTheRequest(String stickyBy) {
			StickyRequest request = StickyRequest.builder()
				.cookie("session", "k-1")
				.query("user", "k-1")
				.remoteAddress("203.0.113.7")
				.build();
			String key = stickyBy.equals("client-ip") ? "203.0.113.7" : "k-1";
			Backend expected = RolloutBucket.of("catalog", key).isBelow(Percent.parse("50")) ? Backend.TARGET
					: Backend.LEGACY;
			assertThat(select(Stage.CANARY, "50", stickyBy, request)).isEqualTo(expected);
			assertThat(StageBackendSelectorTests.this.draws).hasValue(0);
		}

	}

	/** What a caller that may leave the request to another to serve can decide alone. */
	@Nested
	class WithoutDrawing {

		@ParameterizedTest
		@EnumSource(value = Stage.class, names = "CANARY", mode = EnumSource.Mode.EXCLUDE)
		void everyStageButCanaryIsDecidedAsSelectDecidesIt(Stage stage) {
			Route route = route(stage, "50", null);
			assertThat(StageBackendSelectorTests.this.selector.selectWithoutDrawing(route, NO_KEY))
				.contains(StageBackendSelectorTests.this.selector.select(route, NO_KEY));
		}

		@Test
		void aCanaryRequestCarryingItsKeyGoesWhereItsBucketSays() {
			for (int user = 0; user < 200; user++) {
				StickyRequest request = StickyRequest.builder().header("X-User-Id", "user-" + user).build();
				Route route = route(Stage.CANARY, "30", "header:X-User-Id");
				assertThat(StageBackendSelectorTests.this.selector.selectWithoutDrawing(route, request))
					.as("user-" + user)
					.contains(StageBackendSelectorTests.this.selector.select(route, request));
			}
		}

		@Test
		void aCanaryAtZeroOrHundredPercentIsDecidedWithoutAKey() {
			assertThat(StageBackendSelectorTests.this.selector.selectWithoutDrawing(route(Stage.CANARY, "0", null),
					NO_KEY))
				.contains(Backend.LEGACY);
			assertThat(StageBackendSelectorTests.this.selector
				.selectWithoutDrawing(route(Stage.CANARY, "100", "header:X-User-Id"), NO_KEY)).contains(Backend.TARGET);
		}

		@Test
		void aCanaryRequestOnlyARandomDrawCanPlaceIsLeftUndecided() {
			assertThat(StageBackendSelectorTests.this.selector
				.selectWithoutDrawing(route(Stage.CANARY, "50", "header:X-User-Id"), NO_KEY)).isEmpty();
			assertThat(StageBackendSelectorTests.this.selector.selectWithoutDrawing(route(Stage.CANARY, "50", null),
					USER_42))
				.isEmpty();
		}

		@AfterEach
		void neverDraws() {
			assertThat(StageBackendSelectorTests.this.draws).hasValue(0);
		}

	}

	private Backend select(Stage stage, String percent, @Nullable String stickyBy, StickyRequest request) {
		return this.selector.select(route(stage, percent, stickyBy), request);
	}

	private static Route route(Stage stage, String percent, @Nullable String stickyBy) {
		return new Route("catalog", "", "catalog.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/**")), Set.of()),
				URI.create("http://legacy.test"), URI.create("http://target.test"), stage,
				new Route.Rollout(Percent.parse(percent), (stickyBy != null) ? StickyKey.parse(stickyBy) : null),
				Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
