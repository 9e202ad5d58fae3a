package dev.strangler.gateway.shadow;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Automatic noise detection of the shadow path
 * ({@code strangler.shadow.noise-detection.*}): for a sample of mirrored GETs legacy is
 * asked a second time, and whatever differs between its two answers is learned as noise
 * and no longer counts as a mismatch.
 *
 * @param enabled whether legacy is ever asked twice
 * @param samplePercent share (0 to 100, two decimals at most) of mirrored GETs for which
 * legacy is asked a second time, while the route path pattern is still being learned
 * @param settleAfter second looks in a row that teach nothing new after which a route
 * path pattern counts as learned and legacy is no longer asked twice for it (at least 1)
 */
@ConfigurationProperties("strangler.shadow.noise-detection")
@Validated
record NoiseDetectionProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("10") @NotNull @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3,
				fraction = 2) BigDecimal samplePercent,
		@DefaultValue("20") @Min(1) int settleAfter) {

}
