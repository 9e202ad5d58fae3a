package dev.strangler.gateway.server;

import io.netty.util.concurrent.EventExecutor;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.lang.Nullable;

/**
 * Keeps keep-alive connections readable: every exchange starts one turn of its
 * connection's event loop after Reactor Netty hands it over.
 *
 * <p>
 * Why: Reactor Netty 1.2 holds back a request that arrives on a keep-alive connection
 * before the previous exchange has ended (a client may send it as soon as it has the
 * whole previous body), and hands it over once that exchange ends. When the held-back
 * request is answered within that hand-over (a cache hit, an immediate rejection), the
 * server stops reading the connection: the client's next request waits until the client
 * gives up (reactor-netty#4361, fixed after 1.2.18, the newest 1.2 at hand). Cache hits
 * make this common in a gateway. Starting the exchange on the next loop turn lets the
 * hand-over finish first; the answer then ends the exchange the ordinary way and the
 * server asks for the next request.
 *
 * <p>
 * Cost: one task on a loop already running, per exchange. Drop this class when the
 * Reactor Netty in use has the fix.
 */
final class KeepAliveReadResumption implements HttpHandlerDecoratorFactory, Ordered {

	/**
	 * First, hence outermost: the first decorator in order wraps all others, so every
	 * exchange, including one another decorator answers at once, starts on the next turn.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			EventExecutor loop = eventLoopOf(request);
			Mono<Void> handled = Mono.defer(() -> handler.handle(request, response));
			return (loop != null) ? nextTurnOf(loop).then(handled) : handled;
		};
	}

	@Nullable
	private static EventExecutor eventLoopOf(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof Connection connection) ? connection.channel().eventLoop() : null;
	}

	private static Mono<Void> nextTurnOf(EventExecutor loop) {
		return Mono.create((sink) -> loop.execute(sink::success));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public String toString() {
		return "KeepAliveReadResumption[reactor-netty#4361]";
	}

}
