package dev.strangler.gateway.progression;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of request durations in log-scale buckets (four per doubling, so a bucket spans
 * at most 25 %), cumulative and lock-free; two snapshots subtracted give one interval's
 * distribution, whose p99 is read as the upper bound of the bucket it falls in.
 */
final class LatencyBuckets {

	// Microseconds up to 2^41 (25 days): more than any request takes.
	static final int SIZE = 4 * 42;

	private final AtomicLongArray counts = new AtomicLongArray(SIZE);

	void record(long nanos) {
		this.counts.incrementAndGet(index(Math.max(0, nanos / 1000)));
	}

	long[] snapshot() {
		long[] copy = new long[SIZE];
		for (int i = 0; i < SIZE; i++) {
			copy[i] = this.counts.get(i);
		}
		return copy;
	}

	static int index(long micros) {
		if (micros < 4) {
			return (int) micros;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(micros);
		int sub = (int) ((micros >> (exponent - 2)) & 3);
		return Math.min(SIZE - 1, exponent * 4 + sub);
	}

	static double upperBoundMillis(int index) {
		if (index < 4) {
			return (index + 1) / 1000.0;
		}
		int exponent = index / 4;
		int sub = index % 4;
		return ((4L + sub + 1) << (exponent - 2)) / 1000.0;
	}

	/**
	 * The 99th percentile of the difference of two snapshots.
	 * @param now the later snapshot
	 * @param before the earlier one
	 * @return milliseconds; 0 when nothing was recorded in between
	 */
	static double p99Millis(long[] now, long[] before) {
		long total = 0;
		for (int i = 0; i < SIZE; i++) {
			total += now[i] - before[i];
		}
		if (total == 0) {
			return 0;
		}
		long rank = (long) Math.ceil(total * 0.99);
		long seen = 0;
		for (int i = 0; i < SIZE; i++) {
			seen += now[i] - before[i];
			if (seen >= rank) {
				return upperBoundMillis(i);
			}
		}
		return upperBoundMillis(SIZE - 1);
	}

}
