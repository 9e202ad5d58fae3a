package dev.strangler.gateway.security;

import java.util.function.Predicate;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Spring Security's filter, skipped for the traffic server's exchanges when management
 * has a port of its own.
 *
 * <p>
 * Every security chain of the gateway (actuator and admin API, dashboard) matches only
 * management-server requests when that server is separate, so on the traffic port Spring
 * Security's {@link WebFilterChainProxy} ends up passing each proxied request on
 * untouched, after a firewall call and the reactive matchers of each chain: about 1 % of
 * the legacy stage's CPU samples (docs/benchmarks.md, "Where the time goes"). The same
 * test as {@link PortAwareFirewall}'s decides first, and the proxy keeps every
 * management-port exchange. When management shares the traffic port, nothing is skipped.
 */
final class ManagementOnlySecurity implements WebFilter, Ordered {

	/** Spring Security's order for its filter ({@code WebFluxSecurityConfiguration}). */
	static final int ORDER = -100;

	private final WebFilter security;

	private final Predicate<ServerWebExchange> traffic;

	ManagementOnlySecurity(WebFilter security, Predicate<ServerWebExchange> traffic) {
		this.security = security;
		this.traffic = traffic;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return this.traffic.test(exchange) ? chain.filter(exchange) : this.security.filter(exchange, chain);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "ManagementOnlySecurity[" + this.security + "]";
	}

	/**
	 * Wraps Spring Security's filter when management has a port of its own.
	 */
	static final class Installer implements BeanPostProcessor {

		private final boolean separateManagementPort;

		Installer(boolean separateManagementPort) {
			this.separateManagementPort = separateManagementPort;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (this.separateManagementPort && bean instanceof WebFilterChainProxy proxy) {
				return new ManagementOnlySecurity(proxy, PortAwareFirewall::onTrafficServer);
			}
			return bean;
		}

	}

}
