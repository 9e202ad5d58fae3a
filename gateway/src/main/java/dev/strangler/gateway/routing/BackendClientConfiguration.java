package dev.strangler.gateway.routing;

import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

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

	@Bean
	HttpClientCustomizer backendResponseDeadline() {
		return (client) -> client.doOnChannelInit((observer, channel, remoteAddress) -> {
			ChannelPipeline pipeline = channel.pipeline();
			// Absent for an HTTP/2 backend connection: not a configuration the gateway
			// uses.
			if (pipeline.get(NettyPipeline.HttpCodec) != null) {
				pipeline.addAfter(NettyPipeline.HttpCodec, BackendResponseDeadline.NAME, new BackendResponseDeadline());
			}
		});
	}

}
