package dev.strangler.gateway.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the gateway's own HTTP servers (traffic and management port) treat their
 * connections.
 */
@Configuration(proxyBeanMethods = false)
class ServerConfiguration {

	@Bean
	KeepAliveReadResumption keepAliveReadResumption() {
		return new KeepAliveReadResumption();
	}

}
