package dev.strangler.gateway.record;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.concurrent.ThreadLocalRandom;

import dev.strangler.gateway.config.StranglerProperties;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires traffic recording: the filter and the corpus writer behind it.
 */
@Configuration(proxyBeanMethods = false)
class RecordConfiguration {

	@Bean(destroyMethod = "close")
	CorpusWriter corpusWriter(RecordProperties record, StranglerProperties properties, MeterRegistry registry) {
		return new CorpusWriter(record.directory(properties.state().dir()), record.maxBytes().toBytes(),
				record.queueCapacity(), registry);
	}

	@Bean
	RecordedRoutes recordedRoutes(RecordProperties record) {
		return new RecordedRoutes(record);
	}

	@Bean
	RecordingFilter recordingFilter(RecordProperties record, CorpusWriter corpusWriter, ObjectProvider<Clock> clock) {
		RecordSampler sampler = new RecordSampler(new LinkedHashSet<>(record.routes()), record.samplePercent(),
				() -> ThreadLocalRandom.current().nextDouble());
		return new RecordingFilter(sampler, new HeaderAllowList(record.headers()),
				(int) Math.min(Integer.MAX_VALUE, record.maxBody().toBytes()), corpusWriter,
				clock.getIfAvailable(Clock::systemUTC));
	}

}
