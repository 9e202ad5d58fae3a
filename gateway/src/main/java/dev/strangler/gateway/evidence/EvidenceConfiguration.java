package dev.strangler.gateway.evidence;

import java.time.Clock;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The evidence of every route: counted locally, flushed to the shared store when there is
 * one ({@link EvidenceSink}, the Redis state store), read through
 * {@link ClusterEvidence}.
 */
@Configuration(proxyBeanMethods = false)
class EvidenceConfiguration {

	@Bean
	GatewayInstance gatewayInstance(EvidenceProperties properties) {
		return GatewayInstance.of(properties.instanceId());
	}

	@Bean
	LocalEvidence localEvidence(EvidenceProperties properties, ObjectProvider<Clock> clock) {
		return new LocalEvidence(clock.getIfAvailable(Clock::systemUTC), properties.bucket(), properties.retention(),
				properties.diffsPerRoute());
	}

	@Bean(destroyMethod = "close")
	EvidenceFlusher evidenceFlusher(LocalEvidence local, ObjectProvider<EvidenceSink> sink,
			EvidenceProperties properties, MeterRegistry registry) {
		EvidenceFlusher flusher = new EvidenceFlusher(local, Optional.ofNullable(sink.getIfAvailable()), registry);
		flusher.start(properties.flushInterval());
		return flusher;
	}

	/** With the file store, the cluster is this instance. */
	@Bean
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "file", matchIfMissing = true)
	ClusterEvidence instanceEvidence(LocalEvidence local) {
		return local::window;
	}

	/** With the file store, the cluster's mismatches are this instance's. */
	@Bean
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "file", matchIfMissing = true)
	ClusterDiffs instanceDiffs(GatewayInstance instance) {
		return (routeId, own) -> RecentDiffs.own(instance.id(), own.get(), Optional.empty());
	}

}
