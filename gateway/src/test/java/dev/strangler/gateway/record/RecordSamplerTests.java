package dev.strangler.gateway.record;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordSamplerTests {

	@Test
	void recordsOnlyListedRoutesWithinTheSample() {
		RecordSampler sampler = new RecordSampler(Set.of("catalog"), 10, () -> 0.0999);
		assertThat(sampler.record("catalog")).isTrue();
		assertThat(sampler.record("orders")).isFalse();
		assertThat(new RecordSampler(Set.of("catalog"), 10, () -> 0.1).record("catalog")).isFalse();
	}

	@Test
	void isOffWithoutRoutesOrWithAZeroSample() {
		assertThat(new RecordSampler(Set.of(), 100, () -> 0).off()).isTrue();
		assertThat(new RecordSampler(Set.of("catalog"), 0, () -> 0).off()).isTrue();
		assertThat(new RecordSampler(Set.of("catalog"), 0.5, () -> 0).off()).isFalse();
	}

	@Test
	void rejectsASampleOutsideZeroToHundredNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RecordSampler(Set.of("a"), 150, () -> 0))
			.withMessage("samplePercent must be between 0 and 100 but was 150.0");
	}

}
