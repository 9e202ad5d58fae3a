package dev.strangler.gateway.rollout;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The backend decision.
 */
@Configuration(proxyBeanMethods = false)
class RolloutConfiguration {

	@Bean
	BackendSelector backendSelector() {
		return new StageBackendSelector();
	}

}
