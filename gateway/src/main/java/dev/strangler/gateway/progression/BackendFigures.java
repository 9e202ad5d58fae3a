package dev.strangler.gateway.progression;

/**
 * One backend's requests in one interval.
 *
 * @param requests requests it served
 * @param errors those answered with 5xx or not answered
 * @param p99Millis 99th percentile latency in milliseconds; 0 when no request was served
 */
public record BackendFigures(long requests, long errors, double p99Millis) {

	/** Nothing served. */
	public static final BackendFigures NONE = new BackendFigures(0, 0, 0);

	/**
	 * The share of requests that failed.
	 * @return 0 to 1; 0 when none was served
	 */
	public double errorRate() {
		return (this.requests == 0) ? 0 : (double) this.errors / this.requests;
	}

}
