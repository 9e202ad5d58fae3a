package dev.strangler.gateway.front;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.strangler.gateway.headers.PassThroughHeaders;
import dev.strangler.gateway.observe.FrontReporter;
import dev.strangler.gateway.problem.GatewayProblems;
import dev.strangler.gateway.record.RecordedRoutes;
import dev.strangler.gateway.resilience.FrontTargetCalls;
import dev.strangler.gateway.resilience.FrontTargetCalls.TargetResponse;
import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.routing.BackendUrls;
import dev.strangler.gateway.routing.RequestRouter;
import dev.strangler.gateway.routing.RoutingDecision;
import dev.strangler.gateway.shadow.FrontMirror;
import dev.strangler.gateway.shadow.FrontMirrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerResponse;
import reactor.util.context.ContextView;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.lang.Nullable;

/**
 * Proxies the requests that need nothing but forwarding to their backend and, for some, a
 * mirror or the target's guards, before the WebFlux handler, and hands every other
 * request to it unchanged. Such a request is what most of a monolith's traffic is while
 * its routes move (no route claims it; its route is in stage {@code legacy} or
 * {@code shadow}; in stage {@code canary} its sticky key puts it on one backend; its
 * route is {@code migrated}), and Spring Cloud Gateway's filter chain did nothing for it
 * but forward it: here it is forwarded with the same client (its pool, connect timeout,
 * response deadline and meters), the same headers ({@link PassThroughHeaders}), the same
 * errors ({@link GatewayProblems}) and the same reports ({@link FrontReporter}:
 * {@code http.server.requests}, {@code strangler.requests}, the access line, the admin
 * traffic figures, the trace id passed on). A request its route mirrors gets the same
 * mirror as in the chain ({@link FrontMirrors}): admitted under the same rules, given
 * legacy's answer as it is relayed, sent once the client has it. A request the target
 * serves gets the same protection as in the chain ({@link FrontTargetCalls}): the route's
 * circuit breaker, bulkhead, time limit and retries, and legacy's answer in the target's
 * place when that is safe.
 *
 * <p>
 * Left to the chain: the management port, methods other than GET, HEAD, DELETE and
 * OPTIONS, requests with a body, paths not in normal form, requests whose headers need
 * the chain ({@link PassThroughHeaders#passable}), requests whose trace is sampled (they
 * get the chain's client observation and span), canary requests that need a random draw
 * (no sticky key), and routes with a cache, a guard around legacy or a recording. The
 * rules are listed in {@code docs/routes.md}.
 */
final class PassThroughHandler implements HttpHandler {

	private static final Log logger = LogFactory.getLog(PassThroughHandler.class);

	private final HttpHandler delegate;

	private final Parts parts;

	PassThroughHandler(HttpHandler delegate, Parts parts) {
		this.delegate = delegate;
		this.parts = parts;
	}

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		if (!hasNoBodyMethod(request.getMethod()) || !CacheHitHandler.isNormalised(request.getURI().getRawPath())
				|| !this.parts.headers().passable(request.getHeaders()) || !this.parts.port().accepts(request)
				|| !(ServerHttpResponseDecorator.getNativeResponse(response) instanceof HttpServerResponse netty)) {
			return this.delegate.handle(request, response);
		}
		Route route;
		try {
			route = this.parts.router().claim(request);
		}
		catch (RuntimeException ex) {
			// the chain takes the same decision and reports what went wrong
			logger.debug("Pass-through skipped: " + ex.getMessage(), ex);
			return this.delegate.handle(request, response);
		}
		RoutingDecision decision = null;
		if (route != null) {
			// a canary's random draw is left to the chain, which makes it once
			decision = servedHere(route) ? this.parts.router().decideWithoutDrawing(route, request) : null;
			if (decision == null) {
				return this.delegate.handle(request, response);
			}
		}
		FrontReporter.Report report = this.parts.reporter().startUnsampled(request, response, decision);
		if (report == null) {
			// sampled: the chain's client observation records the call to the backend
			return this.delegate.handle(request, response);
		}
		HttpHeaders forwarding = this.parts.headers().forwarding(request);
		if (decision != null && decision.backend() == Backend.TARGET) {
			return new Call(request, response, netty, decision, report, forwarding, null).target();
		}
		FrontMirror mirror = (decision != null)
				? this.parts.mirrors().admit(decision, request, forwarding, report.trace()) : null;
		URI url = this.parts.urls().of(route, Backend.LEGACY, request.getURI());
		Mono<Void> call = new Call(request, response, netty, decision, report, forwarding, mirror).proxy(url);
		return (mirror != null) ? call.doFinally((signal) -> mirror.exchangeEnded()) : call;
	}

	/** The methods whose requests the front forwards when they carry no body. */
	private static boolean hasNoBodyMethod(HttpMethod method) {
		return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.DELETE.equals(method)
				|| HttpMethod.OPTIONS.equals(method);
	}

	/**
	 * Whether the front may serve a claimed request: its route has no cache, no guard
	 * around legacy and is not recorded. Which backend answers is decided next, without a
	 * random draw.
	 */
	private boolean servedHere(Route route) {
		return route.cache() == null && route.resilience().legacy() == null
				&& !this.parts.recorded().includes(route.id());
	}

	@Override
	public String toString() {
		return "PassThroughHandler[" + this.parts + "]";
	}

	/** One request forwarded to legacy. */
	private final class Call {

		private final ServerHttpRequest request;

		private final ServerHttpResponse response;

		private final HttpServerResponse netty;

		/** The client's connection. */
		private final Connection connection;

		/** The route and backend; legacy's once legacy answers in the target's place. */
		@Nullable
		private RoutingDecision decision;

		/** Why legacy answers in the target's place, {@code null} when it does not. */
		@Nullable
		private String fallback;

		private final FrontReporter.Report report;

		/** The forwarding headers legacy gets. */
		private final HttpHeaders forwarding;

		/** The request's mirror, {@code null} when it is not mirrored. */
		@Nullable
		private final FrontMirror mirror;

		private int status;

		Call(ServerHttpRequest request, ServerHttpResponse response, HttpServerResponse netty,
				@Nullable RoutingDecision decision, FrontReporter.Report report, HttpHeaders forwarding,
				@Nullable FrontMirror mirror) {
			this.request = request;
			this.response = response;
			this.netty = netty;
			this.connection = (Connection) netty;
			this.decision = decision;
			this.report = report;
			this.forwarding = forwarding;
			this.mirror = mirror;
		}

		/** Forwards the request to legacy and relays its answer. */
		Mono<Void> proxy(URI url) {
			return reported(forward(url));
		}

		/**
		 * Forwards the request to its route's target under the route's guards
		 * ({@link FrontTargetCalls}): the target's answer is relayed, or legacy answers
		 * in its place.
		 */
		Mono<Void> target() {
			Route route = this.decision.route();
			URI url = PassThroughHandler.this.parts.urls().of(route, Backend.TARGET, this.request.getURI());
			return reported(PassThroughHandler.this.parts.targets()
				.call(route, this.request.getMethod(), new TargetAttempts(url)));
		}

		private Mono<Void> reported(Mono<Void> call) {
			return call.doOnSuccess((done) -> this.report.completed(this.status, null))
				.doOnCancel(() -> this.report.cancelled(null))
				.onErrorResume(this::failed);
		}

		/**
		 * The call to legacy, with the gateway's response timeout, its answer relayed.
		 */
		private Mono<Void> forward(URI url) {
			return send(url).responseConnection((received, connection) -> {
				answer(received.status(), received.responseHeaders());
				return relay(connection);
			}).then().contextWrite(PassThroughHandler.this.parts.responseTimeout());
		}

		/** The request as a backend gets it. */
		private HttpClient.ResponseReceiver<?> send(URI url) {
			Parts parts = PassThroughHandler.this.parts;
			return parts.client().headers((sent) -> {
				parts.headers().writeRequest(this.request, this.forwarding, sent);
				this.report.propagateTo(sent);
			})
				.request(io.netty.handler.codec.http.HttpMethod.valueOf(this.request.getMethod().name()))
				.uri(url)
				.send((clientRequest, outbound) -> outbound.send(this.request.getBody().map(Call::byteBuf)));
		}

		/** The status and headers the client gets with a backend's answer. */
		private void answer(HttpResponseStatus received, io.netty.handler.codec.http.HttpHeaders headers) {
			Parts parts = PassThroughHandler.this.parts;
			this.status = received.code();
			// read by the server observation's convention, as for a response the chain
			// wrote
			this.response.setStatusCode(HttpStatusCode.valueOf(this.status));
			this.netty.status(received);
			parts.headers().writeResponse(headers, this.netty.responseHeaders(), this.decision);
			writeFallbackHeader();
		}

		private void writeFallbackHeader() {
			if (this.decision != null) {
				PassThroughHandler.this.parts.targets()
					.writeFallbackHeader(this.netty.responseHeaders(), this.fallback);
			}
		}

		private Mono<Void> failed(Throwable failure) {
			if (!this.connection.channel().isActive()) {
				// the client went away: nobody to answer, as for a cancelled exchange
				this.report.cancelled(null);
				return Mono.empty();
			}
			if (this.netty.hasSentHeaders()) {
				// the response was on its way: its connection is closed, as by the chain
				this.report.failed(this.status, null, failure);
				return Mono.error(failure);
			}
			String path = this.request.getPath().value();
			GatewayProblems.Rendered problem;
			try {
				problem = PassThroughHandler.this.parts.problems().render(failure, path, this.decision);
			}
			catch (Exception serialization) {
				this.report.failed(500, null, failure);
				return Mono.error(failure);
			}
			this.status = problem.status();
			this.response.setStatusCode(HttpStatusCode.valueOf(this.status));
			this.netty.status(this.status);
			this.netty.responseHeaders().clear();
			if (this.decision != null) {
				PassThroughHandler.this.parts.headers()
					.writeResponse(io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE, this.netty.responseHeaders(),
							this.decision);
				writeFallbackHeader();
			}
			this.netty.header(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
				.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(problem.body().length));
			if (this.status >= 500) {
				GatewayProblems.warn("Gateway error for " + this.request.getMethod() + " " + path + ": " + failure,
						this.report.trace());
			}
			return this.netty.sendObject(Unpooled.wrappedBuffer(problem.body()))
				.then()
				.doOnSuccess((done) -> this.report.completed(this.status, null))
				.doOnCancel(() -> this.report.cancelled(null))
				.onErrorResume((ex) -> {
					this.report.failed(this.status, null, ex);
					return Mono.empty();
				});
		}

		/**
		 * Relays legacy's response body. Given up (the client gone, a write failed), the
		 * backend connection is closed, its response unread, as Spring Cloud Gateway's
		 * {@code NettyWriteResponseFilter} closes it; a body the write never asked for is
		 * read and released first, or its buffers would leak.
		 */
		private Mono<Void> relay(Connection connection) {
			AtomicBoolean read = new AtomicBoolean();
			Flux<ByteBuf> body = connection.inbound()
				.receive()
				.retain()
				.doOnSubscribe((subscription) -> read.set(true));
			if (this.mirror != null) {
				// status and headers are final once the body is relayed
				body = this.mirror.legacyAnswer(this.status, this.netty.responseHeaders(), body);
			}
			return this.netty.send(body)
				.then()
				.doOnCancel(() -> close(connection, read))
				.doOnError((ex) -> close(connection, read));
		}

		private static void close(Connection connection, AtomicBoolean read) {
			if (read.compareAndSet(false, true)) {
				// released as it is read: nothing retains it
				connection.inbound().receive().subscribe();
			}
			if (connection.channel().isActive()) {
				connection.dispose();
			}
		}

		private static ByteBuf byteBuf(DataBuffer buffer) {
			return (buffer instanceof NettyDataBuffer netty) ? netty.getNativeBuffer()
					: Unpooled.wrappedBuffer(buffer.asByteBuffer());
		}

		/** The front's side of the call to the target: each attempt, and the answer. */
		private final class TargetAttempts implements FrontTargetCalls.Attempts {

			private final URI url;

			TargetAttempts(URI url) {
				this.url = url;
			}

			@Override
			public Mono<TargetResponse> send() {
				// no response timeout: the route's time limiter bounds a target call
				return Call.this.send(this.url)
					.responseConnection((received, connection) -> Mono
						.just(new TargetResponse(received.status(), received.responseHeaders(), connection)))
					.single();
			}

			@Override
			public Mono<Void> relay(TargetResponse response, @Nullable Flux<ByteBuf> checkedBody) {
				answer(response.status(), response.headers());
				if (checkedBody == null) {
					return Call.this.relay(response.connection());
				}
				// the checked body closes its connection if it is not read to the end
				return Call.this.netty.send(checkedBody).then();
			}

			@Override
			public Mono<Void> fallBack(String reason) {
				Parts parts = PassThroughHandler.this.parts;
				Route route = Call.this.decision.route();
				RoutingDecision legacy = new RoutingDecision(route, Backend.LEGACY);
				Call.this.decision = legacy;
				Call.this.fallback = reason;
				Call.this.report.fellBack(legacy, parts.targets().exposed(reason));
				return forward(parts.urls().of(route, Backend.LEGACY, Call.this.request.getURI()));
			}

		}

	}

	/**
	 * What the handler works with.
	 *
	 * @param router the routing decision
	 * @param urls where a request goes on its backend
	 * @param headers the headers of the call and of the response
	 * @param client the gateway's client to its backends, with its connect timeout
	 * @param responseTimeout the context giving a call the gateway's response timeout
	 * @param reporter observation, timer, admin traffic figures and access line
	 * @param problems the problem answered when the call fails
	 * @param recorded routes whose requests may be recorded
	 * @param mirrors admits the mirrors of the requests forwarded here
	 * @param targets guards the calls to a route's target, and falls back to legacy
	 * @param port the traffic port
	 */
	record Parts(RequestRouter router, BackendUrls urls, PassThroughHeaders headers, HttpClient client,
			ContextView responseTimeout, FrontReporter reporter, GatewayProblems problems, RecordedRoutes recorded,
			FrontMirrors mirrors, FrontTargetCalls targets, TrafficPort port) {

	}

}
