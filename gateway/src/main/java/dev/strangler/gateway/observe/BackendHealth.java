package dev.strangler.gateway.observe;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Health of one backend, from its (cached) reachability. An unreachable backend is
 * reported with {@code unreachableStatus}: {@code DOWN} for the default upstream, which
 * the gateway cannot work without, {@link #UNREACHABLE} for a route's backends, which is
 * ordered below {@code UP} so that it shows in the details without failing health or
 * readiness (the route's own fallback and circuit breaker deal with it).
 */
final class BackendHealth implements ReactiveHealthIndicator {

	/** Status of an unreachable route backend. */
	static final Status UNREACHABLE = new Status("UNREACHABLE", "The backend could not be reached");

	private final URI backend;

	private final BackendProbe probe;

	private final Status unreachableStatus;

	private final Function<Health.Builder, Health.Builder> extraDetails;

	BackendHealth(URI backend, BackendProbe probe, Status unreachableStatus) {
		this(backend, probe, unreachableStatus, Function.identity());
	}

	BackendHealth(URI backend, BackendProbe probe, Status unreachableStatus,
			Function<Health.Builder, Health.Builder> extraDetails) {
		this.backend = backend;
		this.probe = probe;
		this.unreachableStatus = unreachableStatus;
		this.extraDetails = extraDetails;
	}

	@Override
	public Mono<Health> health() {
		return Mono.fromFuture(() -> this.probe.probe(this.backend)).map(this::toHealth);
	}

	private Health toHealth(Reachability reachability) {
		Health.Builder builder = reachability.reachable() ? Health.up() : Health.status(this.unreachableStatus);
		builder.withDetails(Map.of("url", this.backend.toString(), "probeMillis", reachability.took().toMillis()));
		if (reachability.error() != null) {
			builder.withDetail("error", reachability.error());
		}
		return this.extraDetails.apply(builder).build();
	}

	@Override
	public String toString() {
		return "BackendHealth[" + this.backend + "]";
	}

}
