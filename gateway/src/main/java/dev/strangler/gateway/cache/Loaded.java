package dev.strangler.gateway.cache;

import java.util.Optional;
import java.util.concurrent.CompletionException;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;

/**
 * The result of one backend call made for a cache miss, as every request collapsed onto
 * that call sees it: the policy's decision, the response when others may use it, or the
 * failure of the call.
 *
 * <pre>{@code
 * if (loaded.failure() != null) { fail the same way }
 * loaded.usableFor(requestHeaders).ifPresentOrElse(this::writeFromCache, this::forwardYourself);
 * }</pre>
 *
 * A failure is a value here rather than a failed future: Caffeine would log every failed
 * load as a warning with its stack trace, flooding the log exactly when a backend is
 * down. Like every result that is not stored, it expires at once.
 *
 * @param decision what the policy allowed
 * @param response the captured response; {@code null} when {@code decision} is a
 * {@link StoreDecision.Refuse}, since nobody else may see it
 * @param failure why the backend call failed; {@code null} when it answered
 */
record Loaded(StoreDecision decision, @Nullable CachedResponse response, @Nullable Throwable failure) {

	Loaded {
		if (decision instanceof StoreDecision.Refuse) {
			response = null;
		}
		else if (response == null) {
			throw new IllegalArgumentException("a " + decision + " needs the response");
		}
	}

	Loaded(StoreDecision decision, @Nullable CachedResponse response) {
		this(decision, response, null);
	}

	/**
	 * A result that nobody but the request that fetched it may use.
	 * @param reason why
	 * @return the result
	 */
	static Loaded refused(StoreDecision.Reason reason) {
		return new Loaded(new StoreDecision.Refuse(reason), null, null);
	}

	/**
	 * The result of a backend call that failed.
	 * @param failure the failure
	 * @return the result; every request that waited for it fails the same way
	 */
	static Loaded failed(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return new Loaded(new StoreDecision.Refuse(StoreDecision.Reason.FAILED), null, cause);
	}

	/**
	 * Whether this result stays in the cache.
	 * @return {@code true} for a {@link StoreDecision.Store}
	 */
	boolean stored() {
		return this.decision instanceof StoreDecision.Store;
	}

	/**
	 * The response, if it may answer this request.
	 * @param requestHeaders the headers of a request waiting for or looking up this
	 * result
	 * @return the response; empty when the request must go to the backend itself (or
	 * fail, see {@link #failure})
	 */
	Optional<CachedResponse> usableFor(HttpHeaders requestHeaders) {
		return Optional.ofNullable(this.response).filter((candidate) -> candidate.matches(requestHeaders));
	}

}
