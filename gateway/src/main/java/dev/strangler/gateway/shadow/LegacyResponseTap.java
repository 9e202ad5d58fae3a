package dev.strangler.gateway.shadow;

import java.util.Map;
import java.util.List;

import dev.strangler.gateway.compare.CapturedResponse;
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
 * (known only later, once the backend is chosen) gets a copy of legacy's response as it
 * passes. The body still streams to the client buffer by buffer: the copy is taken on the
 * way, bounded by {@code strangler.shadow.max-body}, and never holds anything up. Without
 * a mirror it only passes writes through.
 */
final class LegacyResponseTap extends ServerHttpResponseDecorator {

	private final ServerWebExchange exchange;

	LegacyResponseTap(ServerWebExchange exchange) {
		super(exchange.getResponse());
		this.exchange = exchange;
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		Mirror mirror = Mirror.of(this.exchange);
		if (mirror == null || !mirror.wantsLegacyResponse()) {
			return super.writeWith(body);
		}
		// status and headers are final once the body is being written
		int status = status(getDelegate());
		Map<String, List<String>> headers = ShadowClient.copy(getDelegate().getHeaders());
		BoundedBytes copy = new BoundedBytes(mirror.maxBody(), mirror.buffers());
		Flux<DataBuffer> teed = Flux.<DataBuffer>from(body)
			.doOnNext(copy::append)
			.doOnComplete(() -> mirror
				.legacyResponse(new CapturedResponse(status, headers, copy.toByteArray(), copy.overflowed())))
			.doOnError((ex) -> mirror.noLegacyResponse("legacy response failed: " + ex))
			.doOnCancel(() -> mirror.noLegacyResponse("legacy response not written to the end"));
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
			mirror.legacyResponse(new CapturedResponse(status(delegate), ShadowClient.copy(delegate.getHeaders()),
					new byte[0], false));
		}
		return super.setComplete();
	}

	private static int status(ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		return (status != null) ? status.value() : 200;
	}

}
