package dev.strangler.gateway.observe;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Remembers each backend's probe result for a while, so that frequent health checks (a
 * load balancer, Kubernetes, a dashboard) do not each open connections to every backend.
 * Concurrent checks of one backend share one probe.
 */
final class CachingBackendProbe implements BackendProbe {

	private final BackendProbe delegate;

	private final AsyncCache<URI, Reachability> results;

	private final Duration ttl;

	CachingBackendProbe(BackendProbe delegate, Duration ttl, Ticker ticker) {
		this.delegate = delegate;
		this.ttl = ttl;
		// Bounded: backends come from route files, but reloads may replace them.
		this.results = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1_000).ticker(ticker).buildAsync();
	}

	@Override
	public CompletableFuture<Reachability> probe(URI backend) {
		return this.results.get(backendKey(backend), (key, executor) -> this.delegate.probe(key));
	}

	/** Backends differing only in path share a host and port, and so a probe. */
	private static URI backendKey(URI backend) {
		return URI.create(backend.getScheme() + "://" + backend.getRawAuthority());
	}

	@Override
	public String toString() {
		return "CachingBackendProbe[ttl=" + this.ttl + ", delegate=" + this.delegate + "]";
	}

}
