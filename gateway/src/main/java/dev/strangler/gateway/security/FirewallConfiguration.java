package dev.strangler.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;

/**
 * The request firewall in front of both ports, and problem documents for what it rejects.
 * Spring Security's {@code WebFilterChainProxy} picks up a unique bean of each type.
 */
@Configuration(proxyBeanMethods = false)
class FirewallConfiguration {

	private static final Log logger = LogFactory.getLog(FirewallConfiguration.class);

	@Bean
	ServerWebExchangeFirewall portAwareFirewall(Environment environment) {
		boolean separate = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
		if (!separate) {
			logger.warn("The management server shares the traffic port: the strict request firewall stays on for "
					+ "all traffic, so URLs with ';', '%2F', '//' and the like are rejected. "
					+ "Set management.server.port (default 9090) to a port of its own.");
		}
		return new PortAwareFirewall(separate);
	}

	/**
	 * Spring Security's filter kept off the traffic port (when management has its own).
	 */
	@Bean
	static ManagementOnlySecurity.Installer managementOnlySecurity(Environment environment) {
		return new ManagementOnlySecurity.Installer(
				ManagementPortType.get(environment) == ManagementPortType.DIFFERENT);
	}

	@Bean
	ServerExchangeRejectedHandler problemExchangeRejectedHandler(ObjectMapper objectMapper) {
		return new ProblemExchangeRejectedHandler(objectMapper);
	}

}
