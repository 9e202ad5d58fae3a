package dev.strangler.gateway.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.strangler.gateway.cache.StoreDecision.Reason;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.lang.Nullable;

/**
 * The capture of one backend response fetched for the cache: reads the body up to the
 * limit, then stores it (or refreshes the entry) and completes the load that other
 * requests wait on. Lives as an exchange attribute from {@link ResponseCacheFilter} to
 * {@link CapturingResponse}.
 *
 * <p>
 * Whatever happens, the load completes exactly once: with the response, with the
 * backend's error, or (client gone, nothing written, body streamed or too large) with a
 * result that sends the waiting requests to the backend themselves. A load that never
 * completed would block its key.
 */
final class ResponseCapture {

	/** Exchange attribute holding the capture of a request that loads for the cache. */
	static final String ATTRIBUTE = ResponseCapture.class.getName();

	private final RouteResponseCache cache;

	private final PrimaryKey primary;

	private final HttpHeaders requestHeaders;

	private final RequestMode mode;

	@Nullable
	private final CompletableFuture<Loaded> load;

	private final AtomicBoolean finished = new AtomicBoolean();

	private volatile String cacheStatus;

	/**
	 * Creates the capture of a request.
	 * @param cache the route's cache
	 * @param primary the request's primary key
	 * @param requestHeaders its headers
	 * @param mode {@link RequestMode#LOAD} (complete {@code load}) or
	 * {@link RequestMode#REFRESH} (replace the entry)
	 * @param load the future other requests wait on; {@code null} for a refresh
	 */
	ResponseCapture(RouteResponseCache cache, PrimaryKey primary, HttpHeaders requestHeaders, RequestMode mode,
			@Nullable CompletableFuture<Loaded> load) {
		this.cache = cache;
		this.primary = primary;
		this.requestHeaders = requestHeaders;
		this.mode = mode;
		this.load = load;
		this.cacheStatus = CacheStatus.forwarded(mode.forwardReason(), false);
	}

	/**
	 * The {@code Cache-Status} of this request's response; final once the body was read.
	 * @return the header value
	 */
	String cacheStatus() {
		return this.cacheStatus;
	}

	/**
	 * Writes the backend's response to the client, capturing it on the way.
	 * @param delegate the real response
	 * @param body the backend's body
	 * @param marked whether the exchange was marked not cacheable
	 * @return completion of the write
	 */
	Mono<Void> writeWith(ServerHttpResponse delegate, Publisher<? extends DataBuffer> body, boolean marked) {
		HttpStatusCode statusCode = delegate.getStatusCode();
		int status = (statusCode != null) ? statusCode.value() : 200;
		HttpHeaders responseHeaders = delegate.getHeaders();
		StoreDecision decision = marked ? new StoreDecision.Refuse(Reason.MARKED)
				: this.cache.decide(this.requestHeaders, status, responseHeaders);
		if (decision instanceof StoreDecision.Refuse) {
			// release the waiting requests now rather than after the whole body
			finish(new Loaded(decision, null));
			return delegate.writeWith(body);
		}
		BodyLimit limit = new BodyLimit(this.cache.bodyLimit());
		Flux<DataBuffer> source = Flux.from(body);
		return source
			// one list holding the whole body, or, past the limit, lists to stream on
			.bufferUntil(limit::exceededAfter)
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.switchOnFirst((first, parts) -> {
				if (first.isOnError()) {
					failed(first.getThrowable());
					return Mono.error(first.getThrowable());
				}
				if (limit.exceeded()) {
					finish(Loaded.refused(Reason.TOO_LARGE));
					return delegate.writeWith(parts.concatMapIterable(Function.identity()));
				}
				byte[] bytes = drain(first.hasValue() ? first.get() : List.of());
				finish(this.cache.capture(decision, this.requestHeaders, status, responseHeaders, bytes));
				return delegate.writeWith(Mono.fromSupplier(() -> delegate.bufferFactory().wrap(bytes)));
			})
			.doFinally((signal) -> abandon())
			.then();
	}

	/**
	 * A streamed response is passed on and never stored: it has no end to wait for.
	 */
	void streamed() {
		finish(Loaded.refused(Reason.STREAMING));
	}

	/**
	 * The backend call failed: every waiting request fails the same way.
	 * @param error the failure
	 */
	void failed(Throwable error) {
		if (this.finished.compareAndSet(false, true) && this.load != null) {
			this.load.complete(Loaded.failed(error));
		}
	}

	/** Ends the load, if still open, sending the waiting requests to the backend. */
	void abandon() {
		finish(Loaded.refused(Reason.ABANDONED));
	}

	private void finish(Loaded loaded) {
		if (!this.finished.compareAndSet(false, true)) {
			return;
		}
		boolean stored = loaded.stored();
		if (this.mode == RequestMode.REFRESH) {
			if (!(loaded.decision() instanceof StoreDecision.Refuse refuse && refuse.reason() == Reason.ABANDONED)) {
				this.cache.refresh(this.primary, this.requestHeaders, loaded);
			}
		}
		else if (this.load != null) {
			// false when the load was already given up after maxWait: then nothing is
			// stored
			stored &= this.load.complete(loaded);
		}
		this.cacheStatus = CacheStatus.forwarded(this.mode.forwardReason(), stored);
	}

	private static byte[] drain(List<? extends DataBuffer> buffers) {
		int length = 0;
		for (DataBuffer buffer : buffers) {
			length += buffer.readableByteCount();
		}
		byte[] bytes = new byte[length];
		int offset = 0;
		for (DataBuffer buffer : buffers) {
			int count = buffer.readableByteCount();
			buffer.read(bytes, offset, count);
			offset += count;
			DataBufferUtils.release(buffer);
		}
		return bytes;
	}

	@Override
	public String toString() {
		return "ResponseCapture[" + this.primary + ", mode=" + this.mode + ", finished=" + this.finished.get() + "]";
	}

	/** Counts body bytes; true once the limit is passed. Used by one subscriber only. */
	private static final class BodyLimit {

		private final long limit;

		private long bytes;

		BodyLimit(long limit) {
			this.limit = limit;
		}

		boolean exceededAfter(DataBuffer buffer) {
			this.bytes += buffer.readableByteCount();
			return exceeded();
		}

		boolean exceeded() {
			return this.bytes > this.limit;
		}

	}

}
