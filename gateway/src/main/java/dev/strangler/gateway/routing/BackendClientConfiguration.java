package dev.strangler.gateway.routing;

import java.util.List;

import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the gateway's client to legacy and target handles its connections.
 */
@Configuration(proxyBeanMethods = false)
class BackendClientConfiguration {

	/**
	 * In place of Spring Cloud Gateway's own (which backs off when one exists): the same
	 * client, with a connection pool per event loop.
	 */
	@Bean
	HttpClientFactory backendHttpClientFactory(HttpClientProperties properties, ServerProperties serverProperties,
			List<HttpClientCustomizer> customizers, HttpClientSslConfigurer sslConfigurer) {
		return new BackendHttpClientFactory(properties, serverProperties, sslConfigurer, customizers);
	}

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
