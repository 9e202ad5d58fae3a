package dev.strangler.gateway.shadow;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Puts a {@link LegacyResponseTap} on every exchange, and ends the exchange's
 * {@link Mirror} (if it has one) when the exchange ends.
 *
 * <p>
 * Why a filter of its own: {@link NettyWriteResponseFilter} writes legacy's body to the
 * response of the exchange <em>it</em> was given and runs early in the chain, while
 * whether to mirror is known only after the backend is chosen
 * ({@link ShadowMirrorFilter}). The two meet through the {@link Mirror#ATTRIBUTE}
 * exchange attribute. Ordered before the cache's capture filter, so a response the cache
 * buffers still passes this tap on its way out.
 */
final class ShadowCaptureFilter implements GlobalFilter, Ordered {

	/** Before the filter that writes the backend's body, and before the cache's tap. */
	static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 2;

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return chain.filter(exchange.mutate().response(new LegacyResponseTap(exchange)).build()).doFinally((signal) -> {
			Mirror mirror = Mirror.of(exchange);
			if (mirror != null) {
				mirror.exchangeEnded();
			}
		});
	}

	@Override
	public String toString() {
		return "ShadowCaptureFilter[order=" + ORDER + "]";
	}

}
