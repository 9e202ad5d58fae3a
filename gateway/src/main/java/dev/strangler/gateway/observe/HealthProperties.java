package dev.strangler.gateway.observe;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the health endpoint probes backends ({@code strangler.health.*}).
 *
 * @param probeTimeout connect timeout of one reachability probe (a TCP connect to the
 * backend's host and port)
 * @param cacheTtl how long a probe result is reused, so that frequent health checks do
 * not hammer the backends
 */
@ConfigurationProperties("strangler.health")
@Validated
record HealthProperties(@DefaultValue("1s") @NotNull Duration probeTimeout,
		@DefaultValue("5s") @NotNull Duration cacheTtl) {

	HealthProperties {
		if (probeTimeout.isNegative() || probeTimeout.isZero()) {
			throw new IllegalArgumentException(
					"strangler.health.probe-timeout must be positive but was " + probeTimeout);
		}
		if (cacheTtl.isNegative()) {
			throw new IllegalArgumentException("strangler.health.cache-ttl must not be negative but was " + cacheTtl);
		}
	}

}
