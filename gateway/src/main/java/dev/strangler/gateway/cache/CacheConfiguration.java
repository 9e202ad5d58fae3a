package dev.strangler.gateway.cache;

import java.util.concurrent.ForkJoinPool;

import dev.strangler.gateway.config.StranglerProperties;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the per-route response caches and their two filters.
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

	@Bean
	RouteCaches routeCaches(CacheProperties properties, MeterRegistry registry, ObjectProvider<CacheTime> time) {
		return new RouteCaches(properties.policy(), registry, time.getIfAvailable(CacheTime::system),
				ForkJoinPool.commonPool());
	}

	@Bean
	ResponseCacheFilter responseCacheFilter(RouteCaches routeCaches, CacheProperties properties) {
		return new ResponseCacheFilter(routeCaches, properties.maxWait());
	}

	@Bean
	FreshHits freshHits(RouteCaches routeCaches, ObjectProvider<CacheTime> time, StranglerProperties properties) {
		return new FreshHits(routeCaches, time.getIfAvailable(CacheTime::system).clock(), properties.exposeHeaders());
	}

	@Bean
	ResponseCaptureFilter responseCaptureFilter() {
		return new ResponseCaptureFilter();
	}

}
