package dev.strangler.gateway.support;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.springframework.web.server.WebFilter;

/**
 * Counts the exchanges that enter the WebFlux filter chain, which a request the front
 * answers or forwards never does: the tests of the front (and of the mirrors it sends)
 * register the filter first in the chain and compare the count before and after their
 * requests.
 */
public final class ChainExchanges {

	private ChainExchanges() {
	}

	/**
	 * A web filter counting the exchanges whose path a predicate accepts.
	 * @param count incremented once per counted exchange
	 * @param paths which request paths to count
	 * @return the filter
	 */
	public static WebFilter counting(AtomicInteger count, Predicate<String> paths) {
		return (exchange, chain) -> {
			if (paths.test(exchange.getRequest().getPath().value())) {
				count.incrementAndGet();
			}
			return chain.filter(exchange);
		};
	}

}
