package dev.strangler.gateway.observe;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;
import org.springframework.lang.Nullable;

/**
 * Starts the server observation ({@code http.server.requests} and its span) only for the
 * requests whose trace is sampled, and records the {@code http.server.requests} timer of
 * every other one directly, with the same name, tags and values.
 * <p>
 * An unsampled request's observation produced a timer sample and a span that is never
 * exported, at the cost of the observation, its handlers, the tracer's span and its
 * scopes: about 2 % of the event loop's samples in the legacy stage's profile, and a
 * kilobyte and a half per request (docs/benchmarks.md). {@link #observes} is registered
 * as the last {@link ObservationPredicate}, so that it is asked only about observations
 * nothing else turned off: for such a request it decides the trace
 * ({@link TraceDecider}), keeps the unsampled trace's ids ({@link RequestTrace}) in the
 * observation context, starts the timer sample with the meter handler, and answers
 * {@code false}. The request is then timed to where WebFlux would have stopped the
 * observation (the end of the exchange once the response is committed, or that commit if
 * it comes later, or the client going away) by {@link UnsampledServerRequestsFilter},
 * which also puts the ids into the exchange's attributes (or by {@link FrontReporter} for
 * a cache hit served before the chain), and {@link #stop} records it: the convention's
 * key values, every {@link ObservationFilter} that may add tags (Spring Boot's, when
 * {@code management.observations.key-values} are set), then the meter handler.
 * <p>
 * Observation handlers of an application's own see sampled requests only. Every request
 * keeps its observation when the gateway cannot decide like the tracer: without
 * OpenTelemetry tracing, with a tracer provider of the application's own, or with baggage
 * fields correlated with logs (their access line is written in the observation's scope).
 */
final class UnsampledServerRequests {

	/** Spring Boot's filter (and predicate) of {@code management.observations.*}. */
	static final String SPRING_BOOT_KEY_VALUES_FILTER = "org.springframework.boot.actuate.autoconfigure.observation.PropertiesObservationFilterPredicate";

	private final Supplier<TraceDecider> decider;

	private final ServerRequestObservationConvention convention;

	private final CachedTimerObservationHandler meters;

	private final Supplier<List<ObservationFilter>> filters;

	@Nullable
	private volatile Active active;

	/**
	 * The request the front found sampled and handed to the filter chain, whose server
	 * observation starts next on this thread: it takes that decision (and its pinned
	 * trace id) instead of drawing again. Cleared by the next decision on the thread, so
	 * that a request whose observation never asks (observations turned off) is held no
	 * longer than that.
	 */
	private final ThreadLocal<ServerHttpRequest> sampledAtFront = new ThreadLocal<>();

	/**
	 * Creates the predicate.
	 * @param decider the decider, or {@code null} when the gateway cannot decide like the
	 * tracer; asked once, on the first request
	 * @param convention the server requests' convention (the same as the observation's)
	 * @param meters the meter handler of the observations
	 * @param filters the registry's observation filters that may add low-cardinality key
	 * values (tags), in order; asked once. Without any, the convention's key values are
	 * the tags, and they are handed to the meter handler directly
	 */
	UnsampledServerRequests(Supplier<TraceDecider> decider, ServerRequestObservationConvention convention,
			CachedTimerObservationHandler meters, Supplier<List<ObservationFilter>> filters) {
		this.decider = decider;
		this.convention = convention;
		this.meters = meters;
		this.filters = filters;
	}

	/**
	 * The {@link ObservationPredicate}: whether an observation is made.
	 * @param name the observation's name
	 * @param context its context
	 * @return {@code false} for the server observation of a request whose trace is not
	 * sampled, then timed by this instead
	 */
	boolean observes(String name, Observation.Context context) {
		if (!(context instanceof ServerRequestObservationContext server) || !name.equals(this.convention.getName())) {
			return true;
		}
		ServerHttpRequest request = server.getCarrier();
		Active active = active();
		if (request == null || active.decider == null) {
			return true;
		}
		RequestTrace trace = server.get(RequestTrace.class);
		if (trace == null) {
			if (request == this.sampledAtFront.get()) {
				this.sampledAtFront.remove();
				return true;
			}
			trace = active.decider.decide(request.getHeaders(), name);
			if (trace == null) {
				return true;
			}
			server.put(RequestTrace.class, trace);
		}
		server.setName(name);
		if (this.meters.longTaskTimers()) {
			// what an observation's start would have tagged its long task with
			server.addLowCardinalityKeyValues(this.convention.getLowCardinalityKeyValues(server));
		}
		this.meters.onStart(server);
		return false;
	}

	/**
	 * Decides a request's trace for the front, before any observation of it exists. A
	 * request found sampled must then go to the filter chain, whose server observation
	 * takes this decision.
	 * @param request the request
	 * @return its unsampled trace, for the front's {@link FrontReporter#startUnsampled};
	 * {@code null} when it is sampled, or when the gateway does not decide sampling
	 * (every request observed)
	 */
	@Nullable
	RequestTrace decideAtFront(ServerHttpRequest request) {
		this.sampledAtFront.remove();
		TraceDecider decider = active().decider;
		if (decider == null) {
			return null;
		}
		RequestTrace trace = decider.decide(request.getHeaders(), this.convention.getName());
		if (trace == null) {
			this.sampledAtFront.set(request);
		}
		return trace;
	}

	/**
	 * Records the timer of an unsampled request where its observation would have stopped:
	 * what stopping it would have recorded. Call once.
	 * @param context the request's observation context, holding its timer sample
	 */
	void stop(ServerRequestObservationContext context) {
		if (context.get(Timer.Sample.class) == null) {
			// never started: an earlier predicate turned the observation off
			return;
		}
		KeyValues keyValues = this.convention.getLowCardinalityKeyValues(context);
		List<ObservationFilter> filters = active().filters;
		if (filters.isEmpty()) {
			this.meters.stop(context, keyValues);
			return;
		}
		Observation.Context stopped = context.addLowCardinalityKeyValues(keyValues);
		for (ObservationFilter filter : filters) {
			stopped = filter.map(stopped);
		}
		this.meters.onStop(stopped);
	}

	/**
	 * The observation filters that may add tags to {@code http.server.requests}: all but
	 * the gateway's {@link RouteObservationFilter} (span attributes only) and Spring
	 * Boot's filter of {@code management.observations.key-values} while none are set (it
	 * adds exactly those).
	 * @param filters the registry's filters, in order
	 * @param commonKeyValues {@code management.observations.key-values}
	 * @return those that may add tags, in order
	 */
	static List<ObservationFilter> tagging(List<ObservationFilter> filters, Map<String, String> commonKeyValues) {
		return filters.stream()
			.filter((filter) -> !(filter instanceof RouteObservationFilter))
			.filter((filter) -> !commonKeyValues.isEmpty()
					|| !filter.getClass().getName().equals(SPRING_BOOT_KEY_VALUES_FILTER))
			.toList();
	}

	private Active active() {
		Active resolved = this.active;
		if (resolved == null) {
			resolved = new Active(this.decider.get(), this.filters.get());
			this.active = resolved;
		}
		return resolved;
	}

	@Override
	public String toString() {
		Active resolved = this.active;
		return "UnsampledServerRequests[" + ((resolved == null) ? "not asked yet"
				: (resolved.decider != null) ? resolved.decider.toString() : "every request observed") + "]";
	}

	/** What is resolved on the first request, once the tracer exists. */
	private record Active(@Nullable TraceDecider decider, List<ObservationFilter> filters) {
	}

}
