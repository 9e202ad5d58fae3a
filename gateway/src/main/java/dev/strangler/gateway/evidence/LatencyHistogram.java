package dev.strangler.gateway.evidence;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Request durations counted in fixed buckets, so that histograms of several instances and
 * intervals add up exactly and a quantile (p99) can be read from the sum. Bucket bounds
 * grow by a factor of 2<sup>1/4</sup> (about 19 %) from 0.5 ms to about 27.5 s; a
 * quantile is the upper bound of the bucket it falls in, so it is at most 19 % high.
 *
 * <pre class="code">
 * LatencyHistogram latency = figures.target().latency();
 * Optional&lt;Duration&gt; p99 = latency.quantile(0.99);
 * </pre>
 */
public final class LatencyHistogram {

	/** Buckets, the last one for everything above the largest bound. */
	public static final int BUCKETS = 65;

	private static final long[] BOUNDS_NANOS = new long[BUCKETS - 1];

	static {
		for (int i = 0; i < BOUNDS_NANOS.length; i++) {
			BOUNDS_NANOS[i] = Math.round(1e6 * Math.pow(2, (i - 4) / 4.0));
		}
	}

	/** No request. */
	public static final LatencyHistogram EMPTY = new LatencyHistogram(new long[BUCKETS]);

	private final long[] counts;

	private LatencyHistogram(long[] counts) {
		this.counts = counts;
	}

	/**
	 * A histogram of the given bucket counts.
	 * @param counts one count per bucket, {@link #BUCKETS} of them
	 * @return the histogram
	 */
	public static LatencyHistogram of(long[] counts) {
		if (counts.length != BUCKETS) {
			throw new IllegalArgumentException("counts must have " + BUCKETS + " buckets but had " + counts.length);
		}
		return new LatencyHistogram(counts.clone());
	}

	/**
	 * The bucket a duration falls in: bucket {@code i} holds durations above the bound of
	 * {@code i - 1} up to its own.
	 * @param nanos the duration
	 * @return the bucket index
	 */
	public static int bucketOf(long nanos) {
		if (nanos <= BOUNDS_NANOS[0]) {
			return 0;
		}
		int i = (int) Math.ceil(4 * (Math.log(nanos / 1e6) / Math.log(2))) + 4;
		i = Math.max(0, Math.min(i, BUCKETS - 1));
		// the logarithm may land one off at a bound
		while (i > 0 && nanos <= BOUNDS_NANOS[i - 1]) {
			i--;
		}
		while (i < BUCKETS - 1 && nanos > BOUNDS_NANOS[i]) {
			i++;
		}
		return i;
	}

	/**
	 * The upper bound of a bucket.
	 * @param bucket the bucket index
	 * @return its bound; for the last bucket, the largest bound (durations above it)
	 */
	public static Duration upperBound(int bucket) {
		return Duration.ofNanos(BOUNDS_NANOS[Math.min(bucket, BOUNDS_NANOS.length - 1)]);
	}

	/**
	 * The count of one bucket.
	 * @param bucket the bucket index
	 * @return how many durations fell in it
	 */
	public long count(int bucket) {
		return this.counts[bucket];
	}

	/**
	 * How many durations were counted.
	 * @return the sum of every bucket
	 */
	public long total() {
		return Arrays.stream(this.counts).sum();
	}

	/**
	 * A quantile, as the upper bound of the bucket it falls in.
	 * @param q the quantile, for example {@code 0.99}
	 * @return the quantile; empty when nothing was counted
	 */
	public Optional<Duration> quantile(double q) {
		if (q <= 0 || q > 1) {
			throw new IllegalArgumentException("q must be in (0, 1] but was " + q);
		}
		long total = total();
		if (total == 0) {
			return Optional.empty();
		}
		long rank = (long) Math.ceil(q * total);
		long seen = 0;
		for (int i = 0; i < BUCKETS; i++) {
			seen += this.counts[i];
			if (seen >= rank) {
				return Optional.of(upperBound(i));
			}
		}
		return Optional.of(upperBound(BUCKETS - 1));
	}

	/**
	 * This histogram and another, added bucket by bucket.
	 * @param other the other histogram
	 * @return the sum
	 */
	public LatencyHistogram plus(LatencyHistogram other) {
		long[] sum = this.counts.clone();
		for (int i = 0; i < BUCKETS; i++) {
			sum[i] += other.counts[i];
		}
		return new LatencyHistogram(sum);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof LatencyHistogram histogram) && Arrays.equals(this.counts, histogram.counts);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.counts);
	}

	@Override
	public String toString() {
		return "LatencyHistogram[total=" + total() + ", p99=" + quantile(0.99).orElse(null) + "]";
	}

}
