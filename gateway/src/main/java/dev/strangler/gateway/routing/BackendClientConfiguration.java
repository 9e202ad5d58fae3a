package dev.strangler.gateway.routing;

import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the gateway's client to legacy and target handles its connections.
 */
@Configuration(proxyBeanMethods = false)
class BackendClientConfiguration {

	@Bean
	HttpClientCustomizer resetAsPrematureClose() {
		return (client) -> client.doOnChannelInit((observer, channel, remoteAddress) -> channel.pipeline()
			.addFirst(ResetAsPrematureClose.NAME, ResetAsPrematureClose.INSTANCE));
	}

}
