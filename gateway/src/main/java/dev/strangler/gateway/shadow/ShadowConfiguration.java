package dev.strangler.gateway.shadow;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.compare.DiffBuffer;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.shadow.Mirror.MirrorServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Wires the shadow path: the two filters, the mirrors' HTTP client, limiter and
 * comparison thread, and the {@link ShadowReports} the admin API reads.
 */
@Configuration(proxyBeanMethods = false)
class ShadowConfiguration {

	/** Mismatches kept per route for {@code /actuator/migration/{id}/diffs}. */
	static final int DIFFS_PER_ROUTE = 100;

	@Bean
	ShadowReports shadowReports(MeterRegistry registry) {
		return new ShadowReports(registry, new DiffBuffer(DIFFS_PER_ROUTE), new NoiseModel());
	}

	@Bean
	ShadowSampler shadowSampler() {
		// Per-thread generator: no contention between event-loop threads. Tests replace
		// this bean to pin the sample.
		return new ShadowSampler(() -> ThreadLocalRandom.current().nextDouble());
	}

	@Bean
	ShadowResources shadowResources(StranglerProperties properties) {
		return ShadowResources.forMaxInFlight(properties.shadow().maxInFlight());
	}

	@Bean
	ShadowLimiter shadowLimiter(StranglerProperties properties) {
		return new ShadowLimiter(properties.shadow().maxInFlight());
	}

	@Bean
	ShadowClient shadowClient(WebClient.Builder webClientBuilder, ShadowResources shadowResources,
			ObjectProvider<ObservationRegistry> observations, StranglerProperties properties) {
		// Spring's builder carries the observation (tracing) customizers.
		WebClient webClient = webClientBuilder
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create(shadowResources.connections())))
			.build();
		return new ShadowClient(webClient, observations.getIfAvailable(() -> ObservationRegistry.NOOP),
				properties.shadow().maxBody().toBytes());
	}

	@Bean
	ShadowMirrorFilter shadowMirrorFilter(ShadowClient shadowClient, ShadowResources shadowResources,
			ShadowLimiter shadowLimiter, ShadowReports shadowReports, ShadowSampler shadowSampler,
			StranglerProperties properties, NoiseDetectionProperties noiseDetection, ObjectProvider<Clock> clock,
			BodyBudget bodyBudget) {
		ShadowJudge judge = new ShadowJudge(new ResponseComparator(), shadowReports.noise(), shadowReports,
				clock.getIfAvailable(Clock::systemUTC));
		MirrorServices services = new MirrorServices(shadowClient, shadowLimiter, judge,
				shadowResources.compareScheduler(), properties.shadow().maxBody().toBytes(), bodyBudget);
		Percent noiseSample = noiseDetection.enabled() ? new Percent(noiseDetection.samplePercent()) : null;
		return new ShadowMirrorFilter(services, shadowSampler, shadowReports, noiseSample);
	}

	@Bean
	ShadowCaptureFilter shadowCaptureFilter() {
		return new ShadowCaptureFilter();
	}

}
