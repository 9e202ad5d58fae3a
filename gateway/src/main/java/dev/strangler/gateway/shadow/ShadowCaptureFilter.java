package dev.strangler.gateway.shadow;

import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Puts a {@link LegacyResponseTap} on the exchanges that may be mirrored, and ends the
 * exchange's {@link Mirror} (if it has one) when the exchange ends.
 *
 * <p>
 * Why a filter of its own: {@link NettyWriteResponseFilter} writes legacy's body to the
 * response of the exchange <em>it</em> was given and runs early in the chain, while
 * whether to mirror is known only after the backend is chosen
 * ({@link ShadowMirrorFilter}). The two meet through the {@link Mirror#ATTRIBUTE}
 * exchange attribute. Ordered before the cache's capture filter, so a response the cache
 * buffers still passes this tap on its way out.
 *
 * <p>
 * While no route of the current table mirrors (no route in stage {@code shadow} or
 * {@code canary}), nothing is decorated: the legacy stage does not pay for shadowing.
 */
final class ShadowCaptureFilter implements GlobalFilter, Ordered {

	/** Before the filter that writes the backend's body, and before the cache's tap. */
	static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 2;

	private final RouteTableHolder routes;

	/**
	 * The last table looked at and whether it mirrors: tables are immutable, swapped
	 * whole.
	 */
	private volatile TableMirrors last = new TableMirrors(null, true);

	ShadowCaptureFilter(RouteTableHolder routes) {
		this.routes = routes;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (!anyRouteMirrors()) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().response(new LegacyResponseTap(exchange)).build()).doFinally((signal) -> {
			Mirror mirror = Mirror.of(exchange);
			if (mirror != null) {
				mirror.exchangeEnded();
			}
		});
	}

	private boolean anyRouteMirrors() {
		RouteTable table = this.routes.current();
		TableMirrors known = this.last;
		if (known.table() != table) {
			known = new TableMirrors(table, table.routes().stream().anyMatch(ShadowMirrorFilter::mirrors));
			this.last = known;
		}
		return known.mirrors();
	}

	@Override
	public String toString() {
		return "ShadowCaptureFilter[order=" + ORDER + "]";
	}

	private record TableMirrors(RouteTable table, boolean mirrors) {

	}

}
