package dev.strangler.gateway.buffer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway-wide {@link BodyBudget}, shared by every feature that buffers bodies.
 */
@Configuration(proxyBeanMethods = false)
class BufferConfiguration {

	@Bean
	BodyBudget bodyBudget(BufferProperties properties) {
		return new BodyBudget(properties.maxTotalBytes(Runtime.getRuntime().maxMemory()));
	}

}
