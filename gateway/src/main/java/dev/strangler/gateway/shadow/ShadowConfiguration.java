package dev.strangler.gateway.shadow;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.compare.DiffBuffer;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.evidence.EvidenceRecorder;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.shadow.Mirror.MirrorServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * Wires the shadow path: the two filters and the front's admission, the mirrors' HTTP
 * client, limiter and comparison thread, and the {@link ShadowReports} the admin API
 * reads.
 */
@Configuration(proxyBeanMethods = false)
class ShadowConfiguration {

	/** Mismatches kept per route for {@code /actuator/migration/{id}/diffs}. */
	static final int DIFFS_PER_ROUTE = 100;

	@Bean
	ShadowReports shadowReports(MeterRegistry registry, NoiseDetectionProperties noiseDetection,
			ObjectProvider<EvidenceRecorder> evidence) {
		return new ShadowReports(
				registry, new DiffBuffer(DIFFS_PER_ROUTE), new NoiseModel(NoiseModel.DEFAULT_MAX_PATH_KEYS_PER_ROUTE,
						NoiseModel.DEFAULT_MAX_PATHS_PER_KEY, noiseDetection.settleAfter()),
				evidence.getIfAvailable(() -> EvidenceRecorder.NONE));
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
	ShadowClient shadowClient(ShadowResources shadowResources, ObjectProvider<ObservationRegistry> observations,
			MeterRegistry meters, ObjectProvider<Propagator> propagator) {
		// The raw client on the shadow path's own pool and event loops: no WebClient, no
		// client metrics or observation of Reactor Netty's; ShadowClient observes what it
		// must itself.
		HttpClient httpClient = HttpClient.create(shadowResources.connections()).runOn(shadowResources.loops());
		return new ShadowClient(httpClient, observations.getIfAvailable(() -> ObservationRegistry.NOOP), meters,
				propagator.getIfAvailable());
	}

	@Bean
	MirrorServices mirrorServices(ShadowClient shadowClient, ShadowResources shadowResources,
			ShadowLimiter shadowLimiter, ShadowReports shadowReports, ShadowSampler shadowSampler,
			StranglerProperties properties, NoiseDetectionProperties noiseDetection, ObjectProvider<Clock> clock,
			BodyBudget bodyBudget) {
		ShadowJudge judge = new ShadowJudge(new ResponseComparator(), shadowReports.noise(), shadowReports,
				clock.getIfAvailable(Clock::systemUTC));
		Percent noiseSample = noiseDetection.enabled() ? new Percent(noiseDetection.samplePercent()) : null;
		SecondLook secondLook = new SecondLook(noiseSample, shadowSampler, shadowReports.noise(), shadowLimiter);
		MirrorWorker worker = new MirrorWorker(shadowResources.loops().onClient(LoopResources.DEFAULT_NATIVE));
		return new MirrorServices(shadowClient, shadowLimiter, worker, secondLook, judge,
				shadowResources.compareScheduler(), properties.shadow().maxBody().toBytes(), bodyBudget);
	}

	@Bean
	ShadowMirrorFilter shadowMirrorFilter(MirrorServices mirrorServices, ShadowSampler shadowSampler,
			ShadowReports shadowReports) {
		return new ShadowMirrorFilter(mirrorServices, shadowSampler, shadowReports);
	}

	@Bean
	FrontMirrors frontMirrors(MirrorServices mirrorServices, ShadowSampler shadowSampler, ShadowReports shadowReports,
			ObjectProvider<GatewayProperties> gateway) {
		// the media types Spring Cloud Gateway relays as a stream, as its response writer
		List<MediaType> streaming = gateway.getIfAvailable(GatewayProperties::new).getStreamingMediaTypes();
		return new FrontMirrors(mirrorServices, shadowSampler, shadowReports, streaming);
	}

	@Bean
	ShadowCaptureFilter shadowCaptureFilter(RouteTableHolder routes) {
		return new ShadowCaptureFilter(routes);
	}

}
