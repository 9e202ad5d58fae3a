package dev.strangler.gateway.cache;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The response of a GET, decorated so a {@link ResponseCapture} placed on the exchange
 * later (once the route and backend are known) sees the body the gateway writes. Without
 * a capture it only passes writes through.
 */
final class CapturingResponse extends ServerHttpResponseDecorator {

	private final ServerWebExchange exchange;

	CapturingResponse(ServerWebExchange exchange) {
		super(exchange.getResponse());
		this.exchange = exchange;
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		ResponseCapture capture = this.exchange.getAttribute(ResponseCapture.ATTRIBUTE);
		if (capture == null) {
			return super.writeWith(body);
		}
		return capture.writeWith(getDelegate(), body, CacheAttributes.isNotCacheable(this.exchange));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		ResponseCapture capture = this.exchange.getAttribute(ResponseCapture.ATTRIBUTE);
		if (capture != null) {
			capture.streamed();
		}
		return super.writeAndFlushWith(body);
	}

	@Override
	public Mono<Void> setComplete() {
		ResponseCapture capture = this.exchange.getAttribute(ResponseCapture.ATTRIBUTE);
		if (capture != null) {
			capture.abandon();
		}
		return super.setComplete();
	}

}
