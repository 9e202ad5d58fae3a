package dev.strangler.gateway.shadow;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The request of a mirrored exchange, decorated so that its body is copied for the
 * {@link Mirror} while it streams to legacy: legacy gets each buffer as it arrives, never
 * waiting for the mirror, and the mirror is sent once the whole body went by. A body
 * larger than {@code strangler.shadow.max-body}, or one the gateway-wide body budget
 * cannot hold, is not kept and the mirror is skipped.
 */
final class MirroredRequestBody extends ServerHttpRequestDecorator {

	private final Mirror mirror;

	MirroredRequestBody(ServerHttpRequest request, Mirror mirror) {
		super(request);
		this.mirror = mirror;
	}

	@Override
	public Flux<DataBuffer> getBody() {
		BoundedBytes copy = new BoundedBytes(this.mirror.maxBody(), this.mirror.buffers());
		return super.getBody().doOnNext((buffer) -> {
			if (!copy.append(buffer)) {
				this.mirror.skipRequest(copy.overBudget() ? "body budget strangler.buffers.max-total spent"
						: "request body over strangler.shadow.max-body");
			}
		})
			.doOnComplete(() -> this.mirror.requestBody(copy.toByteArray()))
			.doOnError((ex) -> this.mirror.skipRequest("request body failed: " + ex))
			.doOnCancel(() -> this.mirror.skipRequest("request body not read to the end"));
	}

	@Override
	public String toString() {
		return "MirroredRequestBody[" + this.mirror + "]";
	}

}
