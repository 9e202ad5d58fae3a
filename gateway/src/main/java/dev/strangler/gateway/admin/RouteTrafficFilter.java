package dev.strangler.gateway.admin;

import java.util.function.LongSupplier;

import dev.strangler.gateway.routing.RoutingDecision;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

/**
 * Counts every request a route claimed into {@link RouteTraffic} once it is done. Runs
 * first, so its timing covers the whole exchange, and reads the {@link RoutingDecision}
 * when the chain completes, by which time routing has made it.
 */
final class RouteTrafficFilter implements GlobalFilter, Ordered {

	/** Outermost: the timing covers every other filter. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final RouteTraffic traffic;

	private final LongSupplier nanoTime;

	RouteTrafficFilter(RouteTraffic traffic, LongSupplier nanoTime) {
		this.traffic = traffic;
		this.nanoTime = nanoTime;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		long start = this.nanoTime.getAsLong();
		return chain.filter(exchange).doFinally((signal) -> {
			RoutingDecision decision = RoutingDecision.of(exchange);
			if (decision != null) {
				HttpStatusCode status = exchange.getResponse().getStatusCode();
				this.traffic.record(decision.route().id(), decision.backend(), (status != null) ? status.value() : 0,
						this.nanoTime.getAsLong() - start);
			}
		});
	}

	@Override
	public String toString() {
		return "RouteTrafficFilter[order=" + ORDER + ", " + this.traffic + "]";
	}

}
