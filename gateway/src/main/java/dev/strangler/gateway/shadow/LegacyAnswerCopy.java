package dev.strangler.gateway.shadow;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.netty.buffer.ByteBuf;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Keeps legacy's answer for a {@link Mirror} as it passes on its way to the client: the
 * status and the headers the comparison reads, taken when the body starts, and duplicates
 * of the body's buffers ({@link BoundedBytes}, bounded by
 * {@code strangler.shadow.max-body} and the gateway-wide body budget). It never holds the
 * body up: each buffer goes on to the client as it came. The filter chain's
 * {@link LegacyResponseTap} and the front's {@link FrontMirror} both keep the answer
 * through it.
 */
final class LegacyAnswerCopy {

	private final Mirror mirror;

	private final int status;

	private final Map<String, List<String>> headers;

	private final BoundedBytes kept;

	/**
	 * Starts the copy of an answer whose status and headers are final.
	 * @param mirror the mirror it is kept for
	 * @param status the status the client gets
	 * @param headerValues the values of a response header the client gets, by name
	 * (case-insensitive), empty if absent
	 */
	LegacyAnswerCopy(Mirror mirror, int status, Function<String, List<String>> headerValues) {
		this.mirror = mirror;
		this.status = status;
		this.headers = KeptResponse.comparedHeaders(mirror.route().compare().headers(), headerValues);
		this.kept = mirror.hold();
	}

	/**
	 * The body as the chain writes it, kept as it passes.
	 * @param body the body on its way to the client
	 * @return the same body
	 */
	Flux<DataBuffer> keep(Publisher<? extends DataBuffer> body) {
		return keep(Flux.<DataBuffer>from(body), this.kept::append);
	}

	/**
	 * The body as the front relays it, kept as it passes.
	 * @param body the body on its way to the client
	 * @return the same body
	 */
	Flux<ByteBuf> keepBuffers(Flux<ByteBuf> body) {
		return keep(body, this.kept::append);
	}

	private <T> Flux<T> keep(Flux<T> body, Predicate<T> append) {
		return body.doOnNext((buffer) -> {
			if (!append.test(buffer) && this.kept.overBudget()) {
				this.mirror.legacyOverBudget();
			}
		})
			.doOnComplete(() -> this.mirror.legacyResponse(new KeptResponse(this.status, this.headers, this.kept)))
			.doOnError((ex) -> this.mirror.noLegacyResponse("legacy response failed: " + ex))
			.doOnCancel(() -> this.mirror.noLegacyResponse("legacy response not written to the end"));
	}

}
