package dev.strangler.gateway.record;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * The request and response decorators that feed a {@link Recording} as the bytes pass:
 * nothing is buffered on the way, and a buffer is only read, never moved or released.
 */
final class RecordingTaps {

	private RecordingTaps() {
	}

	/**
	 * Copies the request body, up to the limit, as the backend call reads it.
	 */
	static final class RequestBodyTap extends ServerHttpRequestDecorator {

		private final Recording recording;

		RequestBodyTap(ServerHttpRequest delegate, Recording recording) {
			super(delegate);
			this.recording = recording;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return super.getBody().doOnNext(this.recording::requestBody);
		}

	}

	/**
	 * Hashes the response body as it is written to the client.
	 */
	static final class ResponseHashTap extends ServerHttpResponseDecorator {

		private final Recording recording;

		ResponseHashTap(ServerHttpResponse delegate, Recording recording) {
			super(delegate);
			this.recording = recording;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return super.writeWith(Flux.from(body).doOnNext(this.recording::responseBody));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			// a stream (server-sent events and the like) has no end to hash
			this.recording.responseStreamed();
			return super.writeAndFlushWith(body);
		}

	}

}
