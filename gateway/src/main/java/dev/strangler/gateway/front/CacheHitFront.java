package dev.strangler.gateway.front;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;

/**
 * Puts the {@link CacheHitHandler} in front of the WebFlux handler of the traffic port,
 * so that fresh cache hits are answered before the filter chain.
 *
 * <p>
 * Ordered after {@code server.KeepAliveReadResumption} (the highest precedence): the
 * first decorator in order wraps the others, so the keep-alive workaround stays outermost
 * and a hit, answered at once, starts on the next turn of the event loop like every other
 * exchange (reactor-netty#4361).
 */
final class CacheHitFront implements HttpHandlerDecoratorFactory, Ordered {

	/** Inside the keep-alive workaround, which comes first. */
	static final int ORDER = 0;

	private final CacheHitHandler.Parts parts;

	CacheHitFront(CacheHitHandler.Parts parts) {
		this.parts = parts;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return new CacheHitHandler(handler, this.parts);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "CacheHitFront[order=" + ORDER + ", " + this.parts + "]";
	}

}
