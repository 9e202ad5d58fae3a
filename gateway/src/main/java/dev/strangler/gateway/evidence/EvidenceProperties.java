package dev.strangler.gateway.evidence;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Time-bucketed evidence ({@code strangler.evidence.*}): comparison counts and requests
 * per backend, summed over every instance with the Redis state store.
 *
 * @param bucket length of one time bucket: the finest interval figures can be read for
 * @param retention how long buckets are kept (in memory, and as the expiry of the Redis
 * keys)
 * @param flushInterval how often each instance adds its local counts to the shared
 * buckets
 * @param adminWindow the window {@code GET /actuator/migration/{id}} shows the figures of
 */
@ConfigurationProperties("strangler.evidence")
@Validated
public record EvidenceProperties(@DefaultValue("10s") @NotNull Duration bucket,
		@DefaultValue("15m") @NotNull Duration retention, @DefaultValue("1s") @NotNull Duration flushInterval,
		@DefaultValue("5m") @NotNull Duration adminWindow) {

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
	}

}
