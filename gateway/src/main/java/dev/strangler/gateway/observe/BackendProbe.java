package dev.strangler.gateway.observe;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Tells whether a backend base URL is reachable.
 */
interface BackendProbe {

	/**
	 * Probes a backend; the future never completes exceptionally.
	 * @param backend the backend base URL
	 * @return the result
	 */
	CompletableFuture<Reachability> probe(URI backend);

}
