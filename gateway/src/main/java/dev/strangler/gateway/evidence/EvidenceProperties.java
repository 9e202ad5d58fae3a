package dev.strangler.gateway.evidence;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Time-bucketed evidence ({@code strangler.evidence.*}): comparison counts, requests per
 * backend and differing paths, summed over every instance with the Redis state store, and
 * the recent mismatches of every instance.
 *
 * @param bucket length of one time bucket: the finest interval figures can be read for
 * @param retention how long buckets are kept (in memory, and as the expiry of the Redis
 * keys)
 * @param flushInterval how often each instance adds its local counts to the shared
 * buckets
 * @param adminWindow the window {@code GET /actuator/migration/{id}} shows the figures of
 * @param diffsPerRoute most recent mismatches the Redis store keeps per route for
 * {@code GET /actuator/migration/{id}/diffs}, of all instances together (each instance
 * keeps 100 of its own besides)
 * @param instanceId this instance's name in the cluster's recent mismatches; default the
 * host name and process id
 */
@ConfigurationProperties("strangler.evidence")
@Validated
public record EvidenceProperties(@DefaultValue("10s") @NotNull Duration bucket,
		@DefaultValue("15m") @NotNull Duration retention, @DefaultValue("1s") @NotNull Duration flushInterval,
		@DefaultValue("5m") @NotNull Duration adminWindow, @DefaultValue("100") @Min(1) int diffsPerRoute,
		String instanceId) {

	/** Mismatches kept per route by default, as many as each instance keeps. */
	public static final int DEFAULT_DIFFS_PER_ROUTE = 100;

	public EvidenceProperties {
		if (bucket.compareTo(Duration.ofSeconds(1)) < 0 || bucket.toMillis() % 1000 != 0) {
			throw new IllegalArgumentException(
					"strangler.evidence.bucket must be whole seconds, at least 1s, but was " + bucket);
		}
		if (retention.compareTo(bucket) < 0) {
			throw new IllegalArgumentException(
					"strangler.evidence.retention must be at least the bucket (" + bucket + ") but was " + retention);
		}
		if (flushInterval.isNegative() || flushInterval.isZero() || flushInterval.compareTo(bucket) > 0) {
			throw new IllegalArgumentException("strangler.evidence.flush-interval must be positive and at most the "
					+ "bucket (" + bucket + ") but was " + flushInterval);
		}
		if (adminWindow.compareTo(bucket) < 0 || adminWindow.compareTo(retention) > 0) {
			throw new IllegalArgumentException("strangler.evidence.admin-window must be between the bucket (" + bucket
					+ ") and the retention (" + retention + ") but was " + adminWindow);
		}
		if (diffsPerRoute < 1) {
			throw new IllegalArgumentException(
					"strangler.evidence.diffs-per-route must be at least 1 but was " + diffsPerRoute);
		}
	}

}
