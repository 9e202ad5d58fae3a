package dev.strangler.gateway.observe;

import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts an unsampled request's {@link RequestTrace} into the exchange's attributes, and
 * times the request ({@link UnsampledServerRequests}) to where WebFlux would have stopped
 * its observation: the end of the exchange once the response is committed (or its commit,
 * if that comes later), or the client going away first. Sampled requests pass untouched;
 * their observation does this.
 */
final class UnsampledServerRequestsFilter implements WebFilter, Ordered {

	private final UnsampledServerRequests requests;

	UnsampledServerRequestsFilter(UnsampledServerRequests requests) {
		this.requests = requests;
	}

	/** First: the observation it stands in for wraps every filter. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		Object current = exchange.getAttributes()
			.get(ServerRequestObservationContext.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE);
		RequestTrace unsampled = (current instanceof ServerRequestObservationContext observed)
				? RequestTrace.of(observed) : null;
		if (unsampled == null) {
			return chain.filter(exchange);
		}
		ServerRequestObservationContext context = (ServerRequestObservationContext) current;
		exchange.getAttributes().put(RequestTrace.ATTRIBUTE, unsampled);
		return chain.filter(exchange).doFinally((signal) -> ended(context, exchange.getResponse(), signal));
	}

	private void ended(ServerRequestObservationContext context, ServerHttpResponse response, SignalType signal) {
		if (signal == SignalType.CANCEL) {
			context.setConnectionAborted(true);
			this.requests.stop(context);
		}
		else if (response.isCommitted()) {
			this.requests.stop(context);
		}
		else {
			response.beforeCommit(() -> {
				this.requests.stop(context);
				return Mono.empty();
			});
		}
	}

	@Override
	public String toString() {
		return "UnsampledServerRequestsFilter[" + this.requests + "]";
	}

}
