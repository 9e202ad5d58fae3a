package dev.strangler.gateway.shadow;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The request of a mirrored exchange, decorated so that the {@link Mirror} keeps its body
 * while it streams to legacy: legacy gets each buffer as it arrives, never waiting for
 * the mirror, which keeps only duplicates of the buffers (no copy). A body larger than
 * {@code strangler.shadow.max-body}, or one the gateway-wide body budget cannot hold, is
 * let go of and the mirror is skipped.
 */
final class MirroredRequestBody extends ServerHttpRequestDecorator {

	private final Mirror mirror;

	MirroredRequestBody(ServerHttpRequest request, Mirror mirror) {
		super(request);
		this.mirror = mirror;
	}

	@Override
	public Flux<DataBuffer> getBody() {
		BoundedBytes kept = this.mirror.hold();
		return super.getBody().doOnNext((buffer) -> {
			if (!kept.append(buffer)) {
				this.mirror.skipRequest(
						kept.overBudget() ? Mirror.BUDGET_SPENT : "request body over strangler.shadow.max-body");
			}
		})
			.doOnComplete(() -> this.mirror.requestBody(kept))
			.doOnError((ex) -> this.mirror.skipRequest("request body failed: " + ex))
			.doOnCancel(() -> bodyCancelled(kept));
	}

	/**
	 * Legacy's client stopped reading the body. Reactor Netty's client does so once the
	 * backend has answered; with a {@code Content-Length} the backend may answer as soon
	 * as it has the last byte, before the end of the body reaches this decorator (it did
	 * for about one small POST in ten on a busy machine). A body whose every declared
	 * byte went by is whole and is mirrored; anything less is skipped.
	 */
	private void bodyCancelled(BoundedBytes kept) {
		if (kept.holdsWhole(getHeaders().getContentLength())) {
			this.mirror.requestBody(kept);
		}
		else {
			this.mirror.skipRequest("request body not read to the end");
		}
	}

	@Override
	public String toString() {
		return "MirroredRequestBody[" + this.mirror + "]";
	}

}
