package dev.strangler.gateway.resilience;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Gateway-wide limits of the per-route resilience ({@code strangler.resilience.*}); each
 * route's timeout, thresholds, retries and fallback come from its route file's
 * {@code resilience} block, and {@code resilience4j.*} fine-tunes the rest.
 *
 * @param maxBufferedBody largest request body kept so it can be replayed (retry or
 * fallback), and the most of a target response read before it is relayed (so a response
 * that breaks off early can still fall back); larger bodies stream through and are never
 * replayed
 */
@ConfigurationProperties("strangler.resilience")
@Validated
record ResilienceProperties(@DefaultValue("1MB") @NotNull DataSize maxBufferedBody) {

}
