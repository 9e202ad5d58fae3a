package dev.strangler.gateway.routing;

import java.time.Duration;

import io.netty.channel.Channel;
import reactor.core.publisher.Mono;
import reactor.netty.channel.ChannelOperations;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.lang.Nullable;

/**
 * Which backend calls have the gateway's response timeout (Spring Cloud Gateway's
 * {@code response-timeout}): every call of the catch-all route, to legacy, routed or not,
 * but a target attempt, which the route's own time limiter bounds. The call says so in
 * its Reactor context; its connection's {@link BackendResponseDeadline} reads it when the
 * request is written.
 *
 * <pre class="code">
 * Mono&lt;Void&gt; attempt = BackendResponseTimeout.off(chain.filter(exchange));
 * </pre>
 */
public final class BackendResponseTimeout {

	/** The context key: the timeout in nanoseconds, {@code 0} for none. */
	private static final Object KEY = BackendResponseTimeout.class;

	private static final ContextView OFF = Context.of(KEY, 0L);

	private BackendResponseTimeout() {
	}

	/**
	 * The backend calls made while {@code call} runs have no gateway response timeout.
	 * @param <T> the call's value
	 * @param call the call, for example a target attempt
	 * @return the call without the timeout
	 */
	public static <T> Mono<T> off(Mono<T> call) {
		return call.contextWrite(OFF);
	}

	/**
	 * The context that gives a call the timeout.
	 * @param timeout the timeout, {@code null} or not positive for none
	 * @return the context to write
	 */
	public static ContextView of(@Nullable Duration timeout) {
		return (timeout == null || timeout.isNegative() || timeout.isZero()) ? OFF : Context.of(KEY, timeout.toNanos());
	}

	/**
	 * The timeout of the request being written on a backend connection.
	 * @param channel the connection
	 * @return nanoseconds, {@code 0} for none
	 */
	static long nanosOf(Channel channel) {
		ChannelOperations<?, ?> operations = ChannelOperations.get(channel);
		if (operations == null) {
			return 0;
		}
		Long nanos = operations.currentContext().getOrDefault(KEY, null);
		return (nanos != null) ? nanos : 0;
	}

}
