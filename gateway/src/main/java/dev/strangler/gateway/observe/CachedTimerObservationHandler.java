package dev.strangler.gateway.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.springframework.lang.Nullable;

/**
 * The meters of every observation ({@code http.server.requests} and the others): what
 * Micrometer's {@code DefaultMeterObservationHandler}, wrapped by Micrometer Tracing's
 * {@code TracingAwareMeterObservationHandler}, records (same names, tags and values),
 * with two per-request costs taken out.
 * <ul>
 * <li>The timer of a (name, tags, error) is looked up in a map of its own instead of
 * built and registered again at every stop (a tag list, sorted tags, a meter id, the
 * registry's lookup by id). A timer the registry removes leaves the map with it, so the
 * next stop registers a new one, as Micrometer would.</li>
 * <li>The span's scope is opened around the recording only when the span is sampled: the
 * scope is there so that an exemplar can name the current trace, and exemplars are taken
 * from sampled spans only. At the default 10 % sampling, nine requests in ten skip
 * it.</li>
 * </ul>
 * The long-task timer ({@code <name>.active}) is created when
 * {@code management.observations.long-task-timer.enabled} is on, as Spring Boot's handler
 * does (the gateway turns it off).
 */
final class CachedTimerObservationHandler implements MeterObservationHandler<Observation.Context> {

	/**
	 * Beyond this many cached timers (a tag with unbounded values somewhere), timers are
	 * looked up the ordinary way; the registry holds them either way.
	 */
	static final int MAX_CACHED_TIMERS = 10_000;

	private static final String ERROR_TAG = "error";

	private static final String NO_ERROR = "none";

	private final MeterRegistry registry;

	private final boolean longTaskTimers;

	@Nullable
	private final Tracer tracer;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	CachedTimerObservationHandler(MeterRegistry registry, boolean longTaskTimers, @Nullable Tracer tracer) {
		this.registry = registry;
		this.longTaskTimers = longTaskTimers;
		this.tracer = tracer;
		registry.config().onMeterRemoved(this::forget);
	}

	/**
	 * Whether long-task timers are made, which are tagged when an observation starts.
	 * @return {@code management.observations.long-task-timer.enabled}
	 */
	boolean longTaskTimers() {
		return this.longTaskTimers;
	}

	@Override
	public void onStart(Observation.Context context) {
		if (this.longTaskTimers) {
			String name = context.getName() + ".active";
			LongTaskTimer.Sample active = LongTaskTimer.builder(name)
				.tags(tags(context.getLowCardinalityKeyValues(), null))
				.register(this.registry)
				.start();
			context.put(LongTaskTimer.Sample.class, active);
		}
		context.put(Timer.Sample.class, Timer.start(this.registry));
	}

	@Override
	public void onStop(Observation.Context context) {
		Span span = sampledSpan(context);
		if (span != null && this.tracer != null) {
			try (var scope = this.tracer.currentTraceContext().maybeScope(span.context())) {
				record(context);
			}
		}
		else {
			record(context);
		}
	}

	@Override
	public void onEvent(Observation.Event event, Observation.Context context) {
		Counter.builder(context.getName() + "." + event.getName())
			.tags(tags(context.getLowCardinalityKeyValues(), null))
			.register(this.registry)
			.increment();
	}

	private void record(Observation.Context context) {
		stop(context, context.getLowCardinalityKeyValues());
	}

	/**
	 * Records what {@link #onStop} records for an observation's context whose
	 * low-cardinality key values are known to the caller, without putting them into the
	 * context and reading them back (for a request timed without an observation,
	 * {@link UnsampledServerRequests}).
	 * @param context the context, holding the sample {@link #onStart} put there
	 * @param lowCardinality its low-cardinality key values
	 */
	void stop(Observation.Context context, KeyValues lowCardinality) {
		Timer.Sample sample = context.getRequired(Timer.Sample.class);
		Throwable error = context.getError();
		TimerKey key = new TimerKey(context.getName(), lowCardinality,
				(error != null) ? error.getClass().getSimpleName() : NO_ERROR);
		sample.stop(timer(key));
		if (this.longTaskTimers) {
			LongTaskTimer.Sample active = context.getRequired(LongTaskTimer.Sample.class);
			active.stop();
		}
	}

	private Timer timer(TimerKey key) {
		Timer timer = this.timers.get(key);
		if (timer != null) {
			return timer;
		}
		timer = Timer.builder(key.name()).tags(tags(key.keyValues(), key.error())).register(this.registry);
		if (this.timers.size() < MAX_CACHED_TIMERS) {
			this.timers.putIfAbsent(key, timer);
		}
		return timer;
	}

	private void forget(Meter removed) {
		if (removed instanceof Timer) {
			this.timers.values().removeIf((cached) -> cached == removed);
		}
	}

	/** The number of timers in the map, for tests. */
	int cachedTimers() {
		return this.timers.size();
	}

	@Nullable
	private static Span sampledSpan(Observation.Context context) {
		Span span = SampledRequests.serverSpan(context);
		return (span != null && Boolean.TRUE.equals(span.context().sampled())) ? span : null;
	}

	private static Tags tags(KeyValues keyValues, @Nullable String error) {
		Tags tags = Tags.empty();
		for (KeyValue keyValue : keyValues) {
			tags = tags.and(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return (error != null) ? tags.and(ERROR_TAG, error) : tags;
	}

	@Override
	public String toString() {
		return "CachedTimerObservationHandler[" + this.timers.size() + " timers]";
	}

	/**
	 * A timer's identity. Not a record: a record's {@code equals} and {@code hashCode} go
	 * through method handles, which showed in the profile of this per-request lookup.
	 */
	private static final class TimerKey {

		private final String name;

		private final KeyValues keyValues;

		private final String error;

		private final int hash;

		TimerKey(String name, KeyValues keyValues, String error) {
			this.name = name;
			this.keyValues = keyValues;
			this.error = error;
			this.hash = 31 * (31 * name.hashCode() + keyValues.hashCode()) + error.hashCode();
		}

		String name() {
			return this.name;
		}

		KeyValues keyValues() {
			return this.keyValues;
		}

		String error() {
			return this.error;
		}

		@Override
		public boolean equals(Object other) {
			return this == other
					|| (other instanceof TimerKey key && this.hash == key.hash && this.name.equals(key.name)
							&& this.error.equals(key.error) && this.keyValues.equals(key.keyValues));
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
