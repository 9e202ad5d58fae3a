package dev.strangler.gateway.routing;

import dev.strangler.gateway.rollout.Backend;

import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * A tester's authenticated request to be served by one backend, whatever the stage; kept
 * as an exchange attribute by the filter that checks the credential, honoured by
 * {@link BackendRoutingFilter}.
 *
 * @param backend the backend asked for
 */
public record ForcedBackend(Backend backend) {

	/** Exchange attribute holding the forced backend; absent for ordinary requests. */
	public static final String ATTRIBUTE = ForcedBackend.class.getName();

	/**
	 * Marks an exchange as forced to a backend.
	 * @param exchange the exchange
	 */
	public void applyTo(ServerWebExchange exchange) {
		exchange.getAttributes().put(ATTRIBUTE, this);
	}

	/**
	 * The forced backend of an exchange.
	 * @param exchange the exchange
	 * @return the forced backend, or {@code null} for an ordinary request
	 */
	@Nullable
	public static ForcedBackend of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

}
