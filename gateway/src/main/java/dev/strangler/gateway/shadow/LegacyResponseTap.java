package dev.strangler.gateway.shadow;

import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The client's response, decorated so that the {@link Mirror} of a mirrored request
 * (known only later, once the backend is chosen) gets legacy's response as it passes. The
 * body still streams to the client buffer by buffer: the mirror only keeps duplicates of
 * the buffers (no copy), bounded by {@code strangler.shadow.max-body} and by the
 * gateway-wide body budget (beyond which the mirror is skipped), and never holds anything
 * up. Without a mirror it only passes writes through.
 */
final class LegacyResponseTap extends ServerHttpResponseDecorator {

	/**
	 * Exchange attribute set when the tap is on, so that a mirror is only admitted then.
	 */
	private static final String ATTRIBUTE = LegacyResponseTap.class.getName();

	private final ServerWebExchange exchange;

	LegacyResponseTap(ServerWebExchange exchange) {
		super(exchange.getResponse());
		this.exchange = exchange;
		exchange.getAttributes().put(ATTRIBUTE, Boolean.TRUE);
	}

	/**
	 * Whether legacy's response of this exchange will pass a tap: without one a mirror
	 * would never learn what legacy answered.
	 * @param exchange the exchange
	 * @return {@code true} if the tap is on
	 */
	static boolean isOn(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE) != null;
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		Mirror mirror = Mirror.of(this.exchange);
		if (mirror == null || !mirror.wantsLegacyResponse()) {
			return super.writeWith(body);
		}
		// status and headers are final once the body is being written
		ServerHttpResponse delegate = getDelegate();
		Flux<DataBuffer> teed = new LegacyAnswerCopy(mirror, status(delegate), delegate.getHeaders()::getOrEmpty)
			.keep(body);
		return super.writeWith(teed);
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		Mirror mirror = Mirror.of(this.exchange);
		if (mirror != null) {
			// a stream has no end to compare at
			mirror.noLegacyResponse("streamed legacy response");
		}
		return super.writeAndFlushWith(body);
	}

	@Override
	public Mono<Void> setComplete() {
		Mirror mirror = Mirror.of(this.exchange);
		if (mirror != null && !isCommitted()) {
			// a response without a body (for example 204, or HEAD); no-op after writeWith
			ServerHttpResponse delegate = getDelegate();
			mirror.legacyResponse(new KeptResponse(status(delegate), comparedHeaders(mirror, delegate), null));
		}
		return super.setComplete();
	}

	private static Map<String, List<String>> comparedHeaders(Mirror mirror, ServerHttpResponse response) {
		return KeptResponse.comparedHeaders(mirror.route().compare().headers(), response.getHeaders()::getOrEmpty);
	}

	private static int status(ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		return (status != null) ? status.value() : 200;
	}

}
