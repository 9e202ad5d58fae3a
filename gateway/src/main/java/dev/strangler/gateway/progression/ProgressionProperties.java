package dev.strangler.gateway.progression;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Progressive delivery ({@code strangler.progression.*}); the plans themselves are in the
 * route files.
 *
 * @param leaseTtl with the Redis state store, how long the decision lease lasts when its
 * holder stops renewing it (the holder renews it every second): the longest a dead holder
 * keeps the other instances from deciding. At least two ticks (2s), so one slow renewal
 * does not hand the lease over.
 */
@ConfigurationProperties("strangler.progression")
@Validated
public record ProgressionProperties(@DefaultValue("5s") @NotNull Duration leaseTtl) {

	/** Shortest lease: two ticks of the controller. */
	static final Duration MIN_LEASE_TTL = ProgressionConfiguration.TICK.multipliedBy(2);

	public ProgressionProperties {
		if (leaseTtl != null && leaseTtl.compareTo(MIN_LEASE_TTL) < 0) {
			throw new IllegalArgumentException("strangler.progression.lease-ttl must be at least " + MIN_LEASE_TTL
					+ " (two ticks of the controller) but was " + leaseTtl);
		}
	}

}
