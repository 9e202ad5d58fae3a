package dev.strangler.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.web.server.ServerWebExchange;

/**
 * Spring Security's request firewall, chosen per port: strict on the management port, off
 * on the traffic port.
 *
 * <p>
 * The strict firewall exists so that odd URLs ({@code ;}, {@code %2F}, {@code //} ...)
 * cannot slip past path-based access rules. The management port has such rules (the admin
 * API), so it stays strict. The traffic port has none (every proxied request is
 * permitted; the backends authorize), and the gateway's own path normalization (package
 * {@code path}) decides there what is refused, normalized or passed byte for byte
 * ({@code %25}, {@code %3B}, which the strict firewall would refuse), so the exchange
 * passes the firewall as it came. When management shares the traffic port, paths do
 * decide access on it, so everything stays strict.
 */
final class PortAwareFirewall implements ServerWebExchangeFirewall {

	/** Server namespace of Spring Boot's separate management server. */
	static final String MANAGEMENT_NAMESPACE = "management";

	private final ServerWebExchangeFirewall strict = new StrictServerWebExchangeFirewall();

	private final boolean separateManagementPort;

	PortAwareFirewall(boolean separateManagementPort) {
		this.separateManagementPort = separateManagementPort;
	}

	@Override
	public Mono<ServerWebExchange> getFirewalledExchange(ServerWebExchange exchange) {
		return isTraffic(exchange) ? ServerWebExchangeFirewall.INSECURE_NOOP.getFirewalledExchange(exchange)
				: this.strict.getFirewalledExchange(exchange);
	}

	private boolean isTraffic(ServerWebExchange exchange) {
		return this.separateManagementPort && onTrafficServer(exchange);
	}

	/**
	 * Whether an exchange came through the traffic server rather than Spring Boot's
	 * separate management server: the same test Spring Boot's {@code EndpointRequest}
	 * uses to tell them apart.
	 * @param exchange the exchange
	 * @return {@code true} for the traffic server's exchanges
	 */
	static boolean onTrafficServer(ServerWebExchange exchange) {
		ApplicationContext context = exchange.getApplicationContext();
		return context != null && !WebServerApplicationContext.hasServerNamespace(context, MANAGEMENT_NAMESPACE);
	}

	@Override
	public String toString() {
		return "PortAwareFirewall[traffic=" + (this.separateManagementPort ? "open" : "strict")
				+ ", management=strict]";
	}

}
