package dev.strangler.gateway.rollout;

import dev.strangler.gateway.route.Percent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RolloutBucketTests {

	@ParameterizedTest
	@CsvSource({ "catalog, user-42, 594", "catalog, user-43, 8791", "orders, user-42, 2981", "catalog, '', 2761" })
	void bucketNeverChangesAcrossReleases(String routeId, String key, int bucket) {
		// Computed independently (Python hashlib). If these change, every sticky key
		// moves
		// to another backend on deploy.
		assertThat(RolloutBucket.of(routeId, key).value()).isEqualTo(bucket);
	}

	@Test
	void sameKeyFallsIntoDifferentBucketsOnDifferentRoutes() {
		int differing = 0;
		for (int i = 0; i < 100; i++) {
			if (RolloutBucket.of("catalog", "user-" + i).value() != RolloutBucket.of("orders", "user-" + i).value()) {
				differing++;
			}
		}
		assertThat(differing).isGreaterThan(95);
	}

	@Test
	void routeAndKeyAreSeparatedSoTheirBoundaryCannotCollide() {
		assertThat(RolloutBucket.of("ab", "c")).isNotEqualTo(RolloutBucket.of("a", "bc"));
	}

	@Test
	void halfAPercentSendsBucketsZeroToFortyNine() {
		Percent half = Percent.parse("0.5");
		assertThat(new RolloutBucket(0).isBelow(half)).isTrue();
		assertThat(new RolloutBucket(49).isBelow(half)).isTrue();
		assertThat(new RolloutBucket(50).isBelow(half)).isFalse();
	}

	@Test
	void lastBucketIsTargetOnlyAtOneHundredPercent() {
		assertThat(new RolloutBucket(9999).isBelow(Percent.parse("99.99"))).isFalse();
		assertThat(new RolloutBucket(9999).isBelow(Percent.ALL)).isTrue();
		assertThat(new RolloutBucket(0).isBelow(Percent.ZERO)).isFalse();
	}

	@Test
	void bucketOutsideRangeIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RolloutBucket(10_000))
			.withMessageContaining("between 0 and 9999");
	}

}
