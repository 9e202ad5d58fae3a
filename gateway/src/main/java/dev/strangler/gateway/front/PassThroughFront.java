package dev.strangler.gateway.front;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

/**
 * Puts the {@link PassThroughHandler} in front of the WebFlux handler of the traffic
 * port, inside the {@link CacheHitFront}: a cache hit is answered first, and a request
 * that only needs forwarding to legacy is forwarded before the filter chain.
 */
final class PassThroughFront implements HttpHandlerDecoratorFactory, Ordered {

	/** Inside the cache hits' front, which comes first. */
	static final int ORDER = CacheHitFront.ORDER + 1;

	private final PassThroughHandler.Parts parts;

	PassThroughFront(PassThroughHandler.Parts parts) {
		this.parts = parts;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return new PassThroughHandler(handler, this.parts);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "PassThroughFront[order=" + ORDER + ", " + this.parts + "]";
	}

}
