package dev.strangler.gateway.cache;

import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;

/**
 * The result of one backend call made for a cache miss, as every request collapsed onto
 * that call sees it: the policy's decision, and the response when others may use it.
 *
 * <pre>{@code
 * loaded.usableFor(requestHeaders).ifPresentOrElse(this::writeFromCache, this::forwardYourself);
 * }</pre>
 *
 * @param decision what the policy allowed
 * @param response the captured response; {@code null} when {@code decision} is a
 * {@link StoreDecision.Refuse}, since nobody else may see it
 */
record Loaded(StoreDecision decision, @Nullable CachedResponse response) {

	Loaded {
		if (decision instanceof StoreDecision.Refuse) {
			response = null;
		}
		else if (response == null) {
			throw new IllegalArgumentException("a " + decision + " needs the response");
		}
	}

	/**
	 * A result that nobody but the request that fetched it may use.
	 * @param reason why
	 * @return the result
	 */
	static Loaded refused(StoreDecision.Reason reason) {
		return new Loaded(new StoreDecision.Refuse(reason), null);
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
	 * @return the response; empty when the request must go to the backend itself
	 */
	Optional<CachedResponse> usableFor(HttpHeaders requestHeaders) {
		return Optional.ofNullable(this.response).filter((candidate) -> candidate.matches(requestHeaders));
	}

}
