package dev.strangler.gateway.server;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The management port's idle timeout: {@code strangler.edge.idle-timeout}, through
 * Reactor Netty's own handler (its per-request cost does not matter on the management
 * port, which has none of the traffic port's edge handlers). Imported into the management
 * server's context by
 * {@code META-INF/spring/org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration.imports};
 * deliberately not annotated, as {@code DashboardManagementConfiguration} explains. When
 * both ports are the same there is one server, whose connections the traffic port's
 * {@link ConnectionDeadlines} already watch.
 */
class ManagementServerConfiguration {

	@Bean
	@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementIdleTimeout(EdgeProperties edge) {
		// The management server's factory is Spring Boot's own, made for the child
		// context: it takes no NettyServerCustomizer beans, only customizers like this.
		return (factory) -> factory.addServerCustomizers((server) -> server.idleTimeout(edge.idleTimeout()));
	}

}
