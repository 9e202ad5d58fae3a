package dev.strangler.gateway.observe;

import java.util.HashMap;
import java.util.Map;

import dev.strangler.gateway.rollout.Backend;
import dev.strangler.gateway.routing.RoutingDecision;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerHttpObservationDocumentation;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.lang.Nullable;

/**
 * Reports a request answered before the filter chain (a cache hit served by the front, or
 * a request it passed straight through to legacy) the way the chain reports every other
 * one: the server observation ({@code http.server.requests} and its span, sampled like
 * any request), the {@code strangler.requests} timer, the other
 * {@link RequestOutcomeListener}s (the admin API's traffic figures) and the access log
 * line, all from one {@link RequestOutcome} handed to the chain's own
 * {@link RequestOutcomeFilter}.
 *
 * <pre>{@code
 * FrontReporter.Report report = reporter.start(request, response, decision);
 * // write the response, then
 * report.completed(200, "hit");
 * }</pre>
 *
 * The observation is the one WebFlux's {@code HttpWebHandlerAdapter} starts for requests
 * that enter the chain (same documentation, convention and context type), so its metric,
 * span name and tags are the same; {@link RouteObservationFilter} adds the route to it.
 */
public final class FrontReporter {

	private static final ServerRequestObservationConvention DEFAULT_CONVENTION = new DefaultServerRequestObservationConvention();

	/** The chain's reporter: its timers, listeners and access log. */
	private final RequestOutcomeFilter outcomes;

	private final Clock clock;

	private final ObservationRegistry observations;

	@Nullable
	private final ServerRequestObservationConvention convention;

	/** Times the requests that get no observation, their trace not being sampled. */
	private final UnsampledServerRequests unsampled;

	/** Passes an unsampled trace on to a backend. */
	private final UnsampledTraceparent traceparent;

	FrontReporter(RequestOutcomeFilter outcomes, Clock clock, ObservationRegistry observations,
			@Nullable ServerRequestObservationConvention convention, UnsampledServerRequests unsampled,
			UnsampledTraceparent traceparent) {
		this.outcomes = outcomes;
		this.clock = clock;
		this.observations = observations;
		this.convention = convention;
		this.unsampled = unsampled;
		this.traceparent = traceparent;
	}

	/**
	 * Starts reporting a request: its timing and, unless observations are off, its server
	 * observation.
	 * @param request the request
	 * @param response its response, whose status the observation reads at the end
	 * @param decision the route and backend serving it
	 * @return the report to complete once the response is written
	 */
	public Report start(ServerHttpRequest request, ServerHttpResponse response, RoutingDecision decision) {
		return start(request, response, decision, null);
	}

	/**
	 * Starts reporting a request the front serves only if its trace is not sampled (a
	 * sampled one gets the filter chain's observations of the backend call): decides its
	 * trace first.
	 * @param request the request
	 * @param response its response
	 * @param decision the route and backend serving it, {@code null} when no route claims
	 * it
	 * @return the report to complete once the response is written; {@code null} when the
	 * request's trace is sampled (or the gateway does not decide sampling): then hand the
	 * request to the filter chain, whose observation takes the decision made here
	 */
	@Nullable
	public Report startUnsampled(ServerHttpRequest request, ServerHttpResponse response,
			@Nullable RoutingDecision decision) {
		if (this.observations.isNoop()) {
			return start(request, response, decision, null);
		}
		RequestTrace trace = this.unsampled.decideAtFront(request);
		return (trace != null) ? start(request, response, decision, trace) : null;
	}

	private Report start(ServerHttpRequest request, ServerHttpResponse response, @Nullable RoutingDecision decision,
			@Nullable RequestTrace decided) {
		long start = this.clock.monotonicTime();
		if (this.observations.isNoop()) {
			return new Report(request, decision, start, null, null, null);
		}
		Map<String, Object> attributes = new HashMap<>(4);
		if (decision != null) {
			attributes.put(RoutingDecision.ATTRIBUTE, decision);
		}
		ServerRequestObservationContext context = new ServerRequestObservationContext(request, response, attributes);
		if (decided != null) {
			// the predicate (UnsampledServerRequests) takes it instead of deciding again
			context.put(RequestTrace.class, decided);
		}
		Observation observation = ServerHttpObservationDocumentation.HTTP_REACTIVE_SERVER_REQUESTS
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.observations)
			.start();
		return new Report(request, decision, start, observation, context, attributes);
	}

	@Override
	public String toString() {
		return "FrontReporter[" + this.outcomes + "]";
	}

	/**
	 * The report of one request; complete it exactly once.
	 */
	public final class Report {

		private final ServerHttpRequest request;

		@Nullable
		private RoutingDecision decision;

		/** The {@code X-Strangler-Fallback} reason the client got, if any. */
		@Nullable
		private String fallback;

		private final long start;

		@Nullable
		private final Observation observation;

		@Nullable
		private final ServerRequestObservationContext context;

		/** The observation context's attributes, which it only shows read-only. */
		@Nullable
		private final Map<String, Object> attributes;

		private Report(ServerHttpRequest request, @Nullable RoutingDecision decision, long start,
				@Nullable Observation observation, @Nullable ServerRequestObservationContext context,
				@Nullable Map<String, Object> attributes) {
			this.request = request;
			this.decision = decision;
			this.start = start;
			this.observation = observation;
			this.context = context;
			this.attributes = attributes;
		}

		/**
		 * The unsampled trace of the request, if it has one.
		 * @return the trace, {@code null} when tracing is off for it (no observations)
		 */
		@Nullable
		public RequestTrace trace() {
			return (this.context != null) ? RequestTrace.of(this.context) : null;
		}

		/**
		 * Passes the request's unsampled trace on to the backend it is proxied to, as the
		 * filter chain does ({@code traceparent}, or the configured propagation).
		 * @param headers the headers of the call to the backend, written into
		 */
		public void propagateTo(io.netty.handler.codec.http.HttpHeaders headers) {
			RequestTrace trace = trace();
			if (trace != null) {
				FrontReporter.this.traceparent.inject(trace, headers);
			}
		}

		/**
		 * Legacy answers in the target's place: the request is reported as legacy's, with
		 * the reason, as the filter chain reports a fallback.
		 * @param legacy the route's decision for legacy
		 * @param reason the {@code X-Strangler-Fallback} reason the client gets,
		 * {@code null} when the header is not exposed
		 */
		public void fellBack(RoutingDecision legacy, @Nullable String reason) {
			this.decision = legacy;
			this.fallback = reason;
			if (this.attributes != null) {
				// read by the observation's route tags when it stops
				this.attributes.put(RoutingDecision.ATTRIBUTE, legacy);
			}
		}

		/**
		 * The response was written.
		 * @param status its status
		 * @param cache the cache outcome, as in the access log ({@code hit})
		 */
		public void completed(int status, @Nullable String cache) {
			end(status, cache);
		}

		/**
		 * The client went away before the response was written.
		 * @param cache the cache outcome
		 */
		public void cancelled(@Nullable String cache) {
			if (this.context != null) {
				this.context.setConnectionAborted(true);
			}
			end(RequestOutcome.CANCELLED, cache);
		}

		/**
		 * Writing the response failed.
		 * @param status the status that was being written
		 * @param cache the cache outcome
		 * @param failure why
		 */
		public void failed(int status, @Nullable String cache, Throwable failure) {
			if (this.observation != null) {
				this.observation.error(failure);
			}
			if (this.context != null) {
				// what the observation's error sets, also when there is no observation
				this.context.setError(failure);
			}
			end(status, cache);
		}

		private void end(int status, @Nullable String cache) {
			long nanos = FrontReporter.this.clock.monotonicTime() - this.start;
			RequestTrace unsampled = (this.context != null) ? RequestTrace.of(this.context) : null;
			Span span = (this.context != null && unsampled == null) ? SampledRequests.serverSpan(this.context) : null;
			RoutingDecision decision = this.decision;
			RequestOutcome outcome = new RequestOutcome(this.request.getMethod().name(),
					this.request.getPath().pathWithinApplication().value(),
					(decision != null) ? decision.route().id() : RequestOutcome.UNROUTED,
					(decision != null) ? decision.route().stage() : null,
					(decision != null) ? decision.backend() : Backend.LEGACY, status, nanos, cache, this.fallback,
					(unsampled != null) ? unsampled.traceId() : RequestOutcomeFilter.traceId(span));
			RequestOutcomeFilter outcomes = FrontReporter.this.outcomes;
			outcomes.tellListeners(outcome);
			if (outcomes.accessLogEnabled()) {
				if (outcomes.restoresTraceScope()) {
					// in the observation's scope, like the chain's access line: the MDC
					// then carries the trace and span ids and the correlated baggage
					try (Observation.Scope scope = (this.observation != null) ? this.observation.openScope() : null) {
						outcomes.tellAccessLog(outcome);
					}
				}
				else {
					try (AccessLineMdc.Ids ids = AccessLineMdc.put(unsampled, span)) {
						outcomes.tellAccessLog(outcome);
					}
				}
			}
			if (unsampled != null) {
				FrontReporter.this.unsampled.stop(this.context);
			}
			else if (this.observation != null) {
				this.observation.stop();
			}
		}

	}

}
