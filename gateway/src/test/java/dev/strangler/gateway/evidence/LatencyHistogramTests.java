package dev.strangler.gateway.evidence;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LatencyHistogramTests {

	@Test
	void aDurationFallsInTheBucketWhoseBoundIsTheFirstAtOrAboveIt() {
		for (int bucket = 0; bucket < LatencyHistogram.BUCKETS - 1; bucket++) {
			long bound = LatencyHistogram.upperBound(bucket).toNanos();
			assertThat(LatencyHistogram.bucketOf(bound)).as("bound of %d", bucket).isEqualTo(bucket);
			assertThat(LatencyHistogram.bucketOf(bound + 1)).as("just above %d", bucket).isEqualTo(bucket + 1);
		}
		assertThat(LatencyHistogram.bucketOf(0)).isZero();
		assertThat(LatencyHistogram.bucketOf(Duration.ofMinutes(5).toNanos())).isEqualTo(LatencyHistogram.BUCKETS - 1);
	}

	@Test
	void theP99IsTheBoundOfTheBucketTheNinetyNinthPercentFallsInAtMostNineteenPercentHigh() {
		long[] counts = new long[LatencyHistogram.BUCKETS];
		counts[LatencyHistogram.bucketOf(Duration.ofMillis(10).toNanos())] = 98;
		counts[LatencyHistogram.bucketOf(Duration.ofMillis(300).toNanos())] = 2;
		Duration p99 = LatencyHistogram.of(counts).quantile(0.99).orElseThrow();
		assertThat(p99).isBetween(Duration.ofMillis(300), Duration.ofMillis(357));
		assertThat(LatencyHistogram.of(counts).quantile(0.98).orElseThrow()).isBetween(Duration.ofMillis(10),
				Duration.ofMillis(12));
	}

	@Test
	void histogramsOfTwoInstancesAddUpBucketByBucket() {
		long[] a = new long[LatencyHistogram.BUCKETS];
		long[] b = new long[LatencyHistogram.BUCKETS];
		a[3] = 2;
		b[3] = 5;
		b[40] = 1;
		LatencyHistogram sum = LatencyHistogram.of(a).plus(LatencyHistogram.of(b));
		assertThat(sum.count(3)).isEqualTo(7);
		assertThat(sum.count(40)).isEqualTo(1);
		assertThat(sum.total()).isEqualTo(8);
	}

	@Test
	void anEmptyHistogramHasNoQuantileAndABadQuantileIsRefused() {
		assertThat(LatencyHistogram.EMPTY.quantile(0.99)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> LatencyHistogram.EMPTY.quantile(1.5))
			.withMessage("q must be in (0, 1] but was 1.5");
	}

}
