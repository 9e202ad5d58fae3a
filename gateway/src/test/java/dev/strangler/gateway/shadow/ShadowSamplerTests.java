package dev.strangler.gateway.shadow;

import dev.strangler.gateway.route.Percent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowSamplerTests {

	@Test
	void hundredPercentSamplesEvenTheHighestRandomValue() {
		assertThat(new ShadowSampler(() -> 0.99999).sample(Percent.ALL)).isTrue();
	}

	@Test
	void zeroPercentSamplesNothingNotEvenTheLowestRandomValue() {
		assertThat(new ShadowSampler(() -> 0.0).sample(Percent.ZERO)).isFalse();
	}

	@Test
	void samplesExactlyTheRandomValuesBelowThePercentage() {
		Percent quarter = Percent.parse("25");
		assertThat(new ShadowSampler(() -> 0.2499).sample(quarter)).isTrue();
		assertThat(new ShadowSampler(() -> 0.25).sample(quarter)).isFalse();
	}

	@Test
	void fractionalPercentagesAreHonouredToTheBasisPoint() {
		Percent half = Percent.parse("0.5");
		assertThat(new ShadowSampler(() -> 0.0049).sample(half)).isTrue();
		assertThat(new ShadowSampler(() -> 0.005).sample(half)).isFalse();
	}

}
