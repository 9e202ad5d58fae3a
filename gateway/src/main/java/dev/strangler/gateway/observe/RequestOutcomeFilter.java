package dev.strangler.gateway.observe;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.strangler.gateway.headers.StranglerHeaders;
import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.routing.RoutingDecision;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reports every request once it completed, as one {@link RequestOutcome}, to the
 * {@code strangler.requests} timer, the other {@link RequestOutcomeListener}s (the admin
 * API's traffic figures) and the access log. Reads who served it from the
 * {@link RoutingDecision} and the response's {@code Cache-Status} and
 * {@code X-Strangler-Fallback} headers.
 * <p>
 * Errors are rendered to problem responses by a handler that runs outside the filter
 * chain, so a failed request is reported when that response commits, with the status the
 * client actually got.
 */
final class RequestOutcomeFilter implements GlobalFilter, Ordered {

	/**
	 * First of all filters, so that the timing includes every other one and requests
	 * answered early (a cache hit) are reported too.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	private static final String FALLBACK_HEADER = StranglerHeaders.PREFIX + "Fallback";

	private static final Log logger = LogFactory.getLog(RequestOutcomeFilter.class);

	private static final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	private final RequestOutcomeListener[] listeners;

	private final AccessLog accessLog;

	private final Clock clock;

	private final boolean restoreTraceScope;

	/**
	 * Creates the filter.
	 * @param listeners told first, in order, without the trace context
	 * @param accessLog told last, with the request's trace and span ids in the MDC
	 * @param clock the monotonic time
	 * @param restoreTraceScope whether the access line is written within the request's
	 * whole trace scope (needed only when baggage fields are correlated with logs),
	 * rather than with the two ids put into the MDC directly ({@link AccessLineMdc})
	 */
	RequestOutcomeFilter(List<RequestOutcomeListener> listeners, AccessLog accessLog, Clock clock,
			boolean restoreTraceScope) {
		this.listeners = listeners.toArray(RequestOutcomeListener[]::new);
		this.accessLog = accessLog;
		this.clock = clock;
		this.restoreTraceScope = restoreTraceScope;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		long start = this.clock.monotonicTime();
		AtomicBoolean reported = new AtomicBoolean();
		return Mono.deferContextual((context) -> chain.filter(exchange)
			.doOnSuccess((done) -> report(exchange, context, start, reported, status(exchange.getResponse())))
			.doOnError((ex) -> reportWhenCommitted(exchange, context, start, reported))
			.doOnCancel(() -> report(exchange, context, start, reported, RequestOutcome.CANCELLED)));
	}

	private void reportWhenCommitted(ServerWebExchange exchange, ContextView context, long start,
			AtomicBoolean reported) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			report(exchange, context, start, reported, status(response));
			return;
		}
		response.beforeCommit(() -> {
			report(exchange, context, start, reported, status(response));
			return Mono.empty();
		});
	}

	private void report(ServerWebExchange exchange, ContextView context, long start, AtomicBoolean reported,
			int status) {
		if (!reported.compareAndSet(false, true)) {
			return;
		}
		RequestTrace unsampled = RequestTrace.of(exchange.getAttributes());
		Span span = (unsampled == null) ? SampledRequests.serverSpan(exchange) : null;
		RequestOutcome outcome = outcome(exchange, status, this.clock.monotonicTime() - start,
				(unsampled != null) ? unsampled.traceId() : traceId(span));
		tellListeners(outcome);
		if (!accessLogEnabled()) {
			return;
		}
		if (this.restoreTraceScope) {
			// Reactor restores the request's trace context in every operator only with
			// spring.reactor.context-propagation=auto, which costs about 40 % of the
			// throughput; restoring the observation here, once per request and only for
			// the access line, puts the correlated baggage fields into the MDC too.
			try (ContextSnapshot.Scope scope = snapshots.setThreadLocalsFrom(context,
					ObservationThreadLocalAccessor.KEY)) {
				tell(this.accessLog, outcome);
			}
			return;
		}
		try (AccessLineMdc.Ids ids = AccessLineMdc.put(unsampled, span)) {
			tell(this.accessLog, outcome);
		}
	}

	/**
	 * Whether the access line of a request answered before the chain is written within
	 * its observation's scope rather than with the ids put into the MDC directly.
	 * @return {@code true} when baggage fields are correlated with logs
	 */
	boolean restoresTraceScope() {
		return this.restoreTraceScope;
	}

	/**
	 * Tells the listeners of an outcome, the {@code strangler.requests} timer first; also
	 * used by {@link FrontReporter} for the requests answered before the chain, so that
	 * they are counted by the very same timers and listeners.
	 * @param outcome what happened
	 */
	void tellListeners(RequestOutcome outcome) {
		for (RequestOutcomeListener listener : this.listeners) {
			tell(listener, outcome);
		}
	}

	/**
	 * Whether the access log writes lines; asked before a trace context is restored for
	 * one.
	 * @return {@code false} when the access logger is off
	 */
	boolean accessLogEnabled() {
		return this.accessLog.enabled();
	}

	/**
	 * Writes the access line of an outcome; the caller has the request's trace context in
	 * scope.
	 * @param outcome what happened
	 */
	void tellAccessLog(RequestOutcome outcome) {
		tell(this.accessLog, outcome);
	}

	private static void tell(RequestOutcomeListener listener, RequestOutcome outcome) {
		try {
			listener.completed(outcome);
		}
		catch (RuntimeException ex) {
			// Reporting must never fail a request that was served.
			logger.warn("Request outcome listener " + listener + " failed", ex);
		}
	}

	private static RequestOutcome outcome(ServerWebExchange exchange, int status, long nanos,
			@Nullable String traceId) {
		HttpHeaders responseHeaders = exchange.getResponse().getHeaders();
		String fallback = responseHeaders.getFirst(FALLBACK_HEADER);
		RoutingDecision decision = RoutingDecision.of(exchange);
		String route = RequestOutcome.UNROUTED;
		Stage stage = null;
		Backend backend = Backend.LEGACY;
		if (decision != null) {
			route = decision.route().id();
			stage = decision.route().stage();
			// A fallback answer came from legacy, whatever the decision was.
			backend = (fallback != null) ? Backend.LEGACY : decision.backend();
		}
		return new RequestOutcome(exchange.getRequest().getMethod().name(),
				exchange.getRequest().getPath().pathWithinApplication().value(), route, stage, backend, status, nanos,
				CacheOutcome.of(responseHeaders.getFirst(CacheOutcome.HEADER)), fallback, traceId);
	}

	private static int status(ServerHttpResponse response) {
		HttpStatusCode status = response.getStatusCode();
		return (status != null) ? status.value() : 200;
	}

	/**
	 * The trace id of a server span, read from the exchange rather than from
	 * thread-locals, which a reactive pipeline does not always restore.
	 * @param span the span, may be {@code null}
	 * @return its trace id, or {@code null} when there is none
	 */
	@Nullable
	static String traceId(@Nullable Span span) {
		String id = (span != null) ? span.context().traceId() : null;
		return (id == null || id.isEmpty()) ? null : id;
	}

	@Override
	public String toString() {
		return "RequestOutcomeFilter[order=" + ORDER + ", listeners=" + Arrays.toString(this.listeners) + ", "
				+ this.accessLog + "]";
	}

}
