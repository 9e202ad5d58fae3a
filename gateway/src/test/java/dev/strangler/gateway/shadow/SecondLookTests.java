package dev.strangler.gateway.shadow;

import java.util.List;

import dev.strangler.gateway.compare.Comparison;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.route.Percent;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When legacy is asked a second time: sampled GETs of route patterns still learning, with
 * a free slot.
 */
class SecondLookTests {

	private final NoiseModel noise = new NoiseModel(8, 8, 2);

	private final ShadowLimiter limiter = new ShadowLimiter(4);

	private final SecondLook secondLook = new SecondLook(Percent.ALL, new ShadowSampler(() -> 0.0), this.noise,
			this.limiter);

	@Test
	void aSampledGetOfAPatternStillLearningAsksAgainAndTakesASlot() {
		assertThat(this.secondLook.take("catalog", "/api/products/**", HttpMethod.GET)).isTrue();
		assertThat(this.limiter.inFlight()).isEqualTo(1);
	}

	@Test
	void onceThePatternSettledLegacyIsNoLongerAskedTwice() {
		this.noise.learn("catalog", "/api/products/**", Comparison.of(List.of(), true));
		this.noise.learn("catalog", "/api/products/**", Comparison.of(List.of(), true));

		assertThat(this.secondLook.take("catalog", "/api/products/**", HttpMethod.GET)).isFalse();
		assertThat(this.limiter.inFlight()).isZero();
		assertThat(this.secondLook.take("catalog", "/api/orders/**", HttpMethod.GET)).isTrue();
	}

	@Test
	void onlyGetsAreAskedAgain() {
		assertThat(this.secondLook.take("catalog", "/api/products/**", HttpMethod.HEAD)).isFalse();
	}

	@Test
	void withoutAFreeSlotLegacyIsNotAskedAgainAndNothingIsDropped() {
		for (int i = 0; i < 4; i++) {
			this.limiter.tryAcquire();
		}

		assertThat(this.secondLook.take("catalog", "/api/products/**", HttpMethod.GET)).isFalse();
	}

	@Test
	void noiseDetectionOffNeverAsks() {
		SecondLook off = new SecondLook(null, new ShadowSampler(() -> 0.0), this.noise, this.limiter);

		assertThat(off.take("catalog", "/api/products/**", HttpMethod.GET)).isFalse();
	}

}
