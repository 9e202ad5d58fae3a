package dev.strangler.gateway.evidence;

import java.time.Duration;
import java.util.Optional;

/**
 * Requests one backend of a route served over some time.
 *
 * @param requests requests served
 * @param errors requests answered with a 5xx status or not answered at all
 * @param latency how long they took
 */
public record BackendFigures(long requests, long errors, LatencyHistogram latency) {

	/** No request. */
	public static final BackendFigures NONE = new BackendFigures(0, 0, LatencyHistogram.EMPTY);

	/**
	 * The share of requests that failed.
	 * @return {@code errors / requests}, 0 without requests
	 */
	public double errorRate() {
		return (this.requests > 0) ? (double) this.errors / this.requests : 0;
	}

	/**
	 * The 99th percentile of the durations (see {@link LatencyHistogram} for its
	 * precision).
	 * @return the p99; empty without requests
	 */
	public Optional<Duration> p99() {
		return this.latency.quantile(0.99);
	}

	BackendFigures plus(BackendFigures other) {
		return new BackendFigures(this.requests + other.requests, this.errors + other.errors,
				this.latency.plus(other.latency));
	}

}
