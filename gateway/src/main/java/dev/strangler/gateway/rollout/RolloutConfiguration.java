package dev.strangler.gateway.rollout;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.strangler.gateway.config.StranglerProperties;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The backend decision: stage, sticky percentage split and the trusted proxies that
 * {@code client-ip} keys believe.
 */
@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {

	static final String TRUSTED_PROXIES_PROPERTY = "strangler.rollout.trusted-proxies";

	@Bean
	RolloutDecider rolloutDecider() {
		// Per-thread generator: no contention between event-loop threads. Tests replace
		// this bean (a @Primary one) to pin the keyless split.
		return new RolloutDecider(() -> ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * The proxies whose forwarding headers are believed: by {@code client-ip} sticky keys
	 * here, and by the forwarding headers sent to the backends (package {@code headers}).
	 */
	@Bean
	TrustedProxies trustedProxies(StranglerProperties properties) {
		return trustedProxies(properties.rollout().trustedProxies());
	}

	@Bean
	StickyKeyExtractor stickyKeyExtractor(TrustedProxies trustedProxies) {
		return new StickyKeyExtractor(trustedProxies);
	}

	@Bean
	BackendSelector backendSelector(RolloutDecider rolloutDecider, StickyKeyExtractor stickyKeyExtractor) {
		return new StageBackendSelector(rolloutDecider, stickyKeyExtractor);
	}

	/**
	 * Parses the trusted proxies, failing start-up with the offending entry and its
	 * index: a typo here would otherwise silently make every client look like the proxy.
	 */
	static TrustedProxies trustedProxies(List<String> specs) {
		for (int i = 0; i < specs.size(); i++) {
			try {
				TrustedProxies.of(List.of(specs.get(i)));
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				throw new InvalidConfigurationPropertyValueException(TRUSTED_PROXIES_PROPERTY + "[" + i + "]",
						specs.get(i), ex.getMessage());
			}
		}
		return TrustedProxies.of(specs);
	}

}
