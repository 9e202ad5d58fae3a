package dev.strangler.gateway.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.route.RouteTableHolder;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationProperties;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationRegistryCustomizer;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayObservationConvention;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationConvention;

/**
 * Observability of the gateway: the per-request outcome (the {@code strangler.requests}
 * timer and the access log), route attributes on spans, backend health, and Netty
 * metrics. See {@code docs/observability.md}.
 */
@Configuration(proxyBeanMethods = false)
class ObserveConfiguration {

	@Bean
	RequestOutcomeFilter requestOutcomeFilter(MeterRegistry registry, ObjectProvider<RequestOutcomeListener> others,
			Environment environment) {
		List<RequestOutcomeListener> listeners = new ArrayList<>();
		listeners.add(new RequestMetrics(registry));
		others.orderedStream().forEach(listeners::add);
		return new RequestOutcomeFilter(listeners, new AccessLog(), registry.config().clock(),
				correlatedBaggage(environment));
	}

	/** Baggage fields correlated with logs reach the MDC only within the trace scope. */
	private static boolean correlatedBaggage(Environment environment) {
		return !Binder.get(environment)
			.bind("management.tracing.baggage.correlation.fields", Bindable.listOf(String.class))
			.orElse(List.of())
			.isEmpty();
	}

	/**
	 * Reports the cache hits the front serves before the chain through the chain's own
	 * record per request: the same timers, listeners and access log.
	 */
	@Bean
	FrontReporter frontReporter(RequestOutcomeFilter outcomes, MeterRegistry registry,
			ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<ServerRequestObservationConvention> convention, UnsampledServerRequests unsampled,
			UnsampledTraceparent traceparent) {
		return new FrontReporter(outcomes, registry.config().clock(),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP), convention.getIfUnique(), unsampled,
				traceparent);
	}

	/**
	 * OpenTelemetry's random ids for Spring Boot's tracer provider, with the trace id of
	 * a sampled request pinned ({@link TraceDecider}).
	 */
	@Bean
	PinnedTraceIds pinnedTraceIds() {
		return new PinnedTraceIds();
	}

	/**
	 * No server observation for requests whose trace is not sampled; their
	 * {@code http.server.requests} timer recorded directly. Decides like Spring Boot's
	 * OpenTelemetry tracer, when there is one that the gateway can decide for.
	 */
	@Bean
	UnsampledServerRequests unsampledServerRequests(PinnedTraceIds ids, ObjectProvider<Sampler> sampler,
			ObjectProvider<ContextPropagators> propagators, ObjectProvider<Tracer> tracer,
			ObjectProvider<ServerRequestObservationConvention> convention, CachedTimerObservationHandler meters,
			ObjectProvider<ObservationFilter> filters, ObservationProperties properties, Environment environment) {
		boolean correlatedBaggage = correlatedBaggage(environment);
		Supplier<TraceDecider> decider = () -> {
			Sampler tracerSampler = sampler.getIfUnique();
			ContextPropagators tracerPropagators = propagators.getIfUnique();
			Tracer micrometerTracer = tracer.getIfUnique();
			if (tracerSampler == null || tracerPropagators == null || micrometerTracer == null || !ids.installed()
					|| correlatedBaggage) {
				return null;
			}
			return new TraceDecider(tracerSampler, tracerPropagators.getTextMapPropagator(), ids, micrometerTracer);
		};
		return new UnsampledServerRequests(decider,
				convention.getIfUnique(DefaultServerRequestObservationConvention::new), meters,
				() -> UnsampledServerRequests.tagging(filters.orderedStream().toList(), properties.getKeyValues()));
	}

	/**
	 * Registers {@link UnsampledServerRequests} after the predicates Spring Boot
	 * registers from beans (its {@code management.observations.enable.*} among them), so
	 * that it is asked only about the observations they let through.
	 */
	@Bean
	ObservationRegistryCustomizer<ObservationRegistry> unsampledServerRequestsPredicate(
			UnsampledServerRequests unsampled) {
		return (registry) -> registry.observationConfig().observationPredicate(unsampled::observes);
	}

	@Bean
	UnsampledServerRequestsFilter unsampledServerRequestsFilter(UnsampledServerRequests unsampled) {
		return new UnsampledServerRequestsFilter(unsampled);
	}

	/**
	 * Spring Boot's convention for {@code http.server.requests} (same name property, tags
	 * and values), with the common case's key values computed once.
	 */
	@Bean
	ServerRequestObservationConvention serverRequestObservationConvention(Environment environment) {
		return new PrecomputedServerRequestConvention(
				environment.getProperty("management.observations.http.server.requests.name", "http.server.requests"));
	}

	/**
	 * The meters of every observation, Spring Boot's (and Micrometer Tracing's) handler
	 * with the timer looked up once per tag set and the span scope opened for sampled
	 * spans only; Spring Boot's own handler backs off.
	 */
	@Bean
	CachedTimerObservationHandler meterObservationHandler(MeterRegistry registry, ObjectProvider<Tracer> tracer,
			ObservationProperties properties) {
		return new CachedTimerObservationHandler(registry, properties.getLongTaskTimer().isEnabled(),
				tracer.getIfAvailable());
	}

	/**
	 * Spring Boot's handler of server spans, with span tags only on the spans that
	 * record. Static: a bean post-processor must not wait for this configuration's
	 * instance.
	 */
	@Bean
	static RecordingReceiverTracingHandler.Replacement recordingReceiverTracingHandler(
			ObjectProvider<Propagator> propagator) {
		return new RecordingReceiverTracingHandler.Replacement(propagator);
	}

	/** The access log written off the event loop, and its dropped lines counted. */
	@Bean
	@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
	AsyncAccessLog asyncAccessLog() {
		return new AsyncAccessLog(AsyncAccessLog.QUEUE_SIZE);
	}

	/** The trace context passed on for the requests that have no client observation. */
	@Bean
	UnsampledTraceparent unsampledTraceparent(ObjectProvider<Propagator> propagator) {
		return new UnsampledTraceparent(propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	/**
	 * The gateway's client observation for sampled requests only, in place of Spring
	 * Cloud Gateway's filter (under the same condition), after
	 * {@link UnsampledTraceparent} as that filter was.
	 */
	@Bean
	@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.observability.enabled", matchIfMissing = true)
	SampledClientObservationFilter sampledClientObservationFilter(ObservationRegistry registry,
			ObjectProvider<GatewayObservationConvention> convention) {
		return new SampledClientObservationFilter(registry, convention.getIfAvailable());
	}

	@Bean
	RouteObservationFilter routeObservationFilter() {
		return new RouteObservationFilter();
	}

	@Bean
	BackendProbe backendProbe(HealthProperties properties) {
		// Blocking connects belong on the bounded elastic scheduler, never on Netty's
		// event loop.
		TcpBackendProbe tcp = new TcpBackendProbe(properties.probeTimeout(),
				(task) -> Schedulers.boundedElastic().schedule(task), Clock.SYSTEM);
		return new CachingBackendProbe(tcp, properties.cacheTtl(), Ticker.systemTicker());
	}

	/** The default upstream: health component {@code legacy}, part of readiness. */
	@Bean
	BackendHealth legacyHealthIndicator(StranglerProperties properties, BackendProbe probe) {
		return new BackendHealth(properties.legacy().uri(), probe, Status.DOWN);
	}

	/** Every route's backends: health component {@code routes}, not part of readiness. */
	@Bean
	RouteBackendsHealthContributor routesHealthContributor(RouteTableHolder routes, BackendProbe probe,
			ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
		return new RouteBackendsHealthContributor(routes, probe, circuitBreakers.getIfAvailable());
	}

	/**
	 * Reactor Netty client metrics ({@code reactor.netty.http.client.*}, and Netty's
	 * buffer memory as {@code reactor.netty.bytebuf.allocator.*}) for the calls to the
	 * backends, recorded by {@link BackendClientMetrics}. The URI tag is collapsed:
	 * request paths would make its cardinality unbounded, and {@code strangler.requests}
	 * already breaks traffic down by route.
	 */
	@Bean
	HttpClientCustomizer backendClientMetrics(MeterRegistry registry) {
		BackendClientMetrics recorder = new BackendClientMetrics(registry);
		return (client) -> client.metrics(true, () -> recorder, BackendClientMetrics.COLLAPSE_URI);
	}

}
