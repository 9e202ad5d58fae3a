package dev.strangler.gateway.dashboard;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The dashboard's mismatch-rate history ({@code strangler.dashboard.*}): how often each
 * route's shadow counts are sampled, and how many samples are kept for the chart.
 *
 * @param historyInterval time between two samples of every route's shadow counts
 * @param historySamples samples kept per route (the chart spans interval times samples)
 */
@ConfigurationProperties("strangler.dashboard")
@Validated
record DashboardProperties(@DefaultValue("10s") @NotNull Duration historyInterval,
		@DefaultValue("90") @Min(2) @Max(10_000) int historySamples) {

	DashboardProperties {
		if (historyInterval.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException(
					"strangler.dashboard.history-interval must be at least 1s but was " + historyInterval);
		}
	}

}
