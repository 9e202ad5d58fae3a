package dev.strangler.gateway.control;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import dev.strangler.gateway.cache.RouteCaches;

import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.evidence.EvidenceProperties;
import dev.strangler.gateway.evidence.GatewayInstance;
import dev.strangler.gateway.evidence.LocalEvidence;
import dev.strangler.gateway.state.FileStateImport;
import dev.strangler.gateway.state.StateFileException;
import dev.strangler.gateway.state.StateUnavailableException;
import dev.strangler.gateway.state.redis.RedisAuditLog;
import dev.strangler.gateway.state.redis.RedisClusterEvents;
import dev.strangler.gateway.state.redis.RedisEvidence;
import dev.strangler.gateway.state.redis.RedisOverrideStore;
import dev.strangler.gateway.state.redis.RedisStateOptions;
import io.lettuce.core.ClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The shared state store ({@code strangler.state.store: redis}): overrides, their audit
 * trail and cluster-wide events in Redis, reached through Spring Boot's own
 * {@code spring.data.redis.*} connection.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "strangler.state.store", havingValue = "redis")
class RedisStateConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(RedisStateConfiguration.class);

	/** The local copy of the shared state, in {@code strangler.state.dir}. */
	static final String SNAPSHOT_FILE = "redis-snapshot.json";

	@Bean
	LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
		// Lettuce buffers commands while it reconnects and sends them later: an admin
		// write refused with 503 after the timeout would then still be applied once
		// Redis is back. Rejecting them at once keeps "refused" meaning "not done".
		return (builder) -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	RedisStateOptions redisStateOptions(StranglerProperties properties) {
		StranglerProperties.State.Redis redis = properties.state().redis();
		return new RedisStateOptions(redis.keyPrefix(), redis.auditMaxEntries(), redis.resyncInterval(),
				redis.timeout(), redis.startupWait(), properties.state().dir().resolve(SNAPSHOT_FILE));
	}

	@Bean(destroyMethod = "close")
	RedisOverrideStore overrideStore(ReactiveStringRedisTemplate redis, RedisStateOptions options,
			ObjectProvider<Clock> clock, StranglerProperties properties) {
		RedisOverrideStore store = new RedisOverrideStore(redis, options, clock.getIfAvailable(Clock::systemUTC));
		Path importFrom = properties.state().redis().importFrom();
		if (importFrom != null) {
			importFileState(importFrom, store);
		}
		store.start();
		return store;
	}

	/**
	 * Imports a file store's overrides; a failure is logged and the instance starts all
	 * the same (traffic first; the import completes when run again).
	 */
	private static void importFileState(Path directory, RedisOverrideStore store) {
		try {
			FileStateImport.Report report = FileStateImport.from(directory).into(store);
			logger.info(
					"Imported {} override(s) from the file store {} (strangler.state.redis.import-from): {}; "
							+ "kept the shared state of {}",
					report.imported().size(), directory.toAbsolutePath(), report.imported(), report.kept());
		}
		catch (StateFileException | StateUnavailableException ex) {
			logger.error("The overrides of the file store {} (strangler.state.redis.import-from) were not imported: {}",
					directory.toAbsolutePath(), ex.getMessage());
		}
	}

	@Bean
	RedisAuditLog auditLog(ReactiveStringRedisTemplate redis, RedisStateOptions options) {
		return new RedisAuditLog(redis, options);
	}

	@Bean(destroyMethod = "close")
	RedisClusterEvents clusterEvents(ReactiveStringRedisTemplate redis, RedisStateOptions options) {
		RedisClusterEvents events = new RedisClusterEvents(redis, options);
		events.start();
		return events;
	}

	@Bean(destroyMethod = "close")
	ClusterRequests clusterRequests(RedisClusterEvents events, RouteControl control,
			ObjectProvider<RouteCaches> caches) {
		return new ClusterRequests(events, control, Optional.ofNullable(caches.getIfAvailable()));
	}

	/**
	 * The evidence and the recent mismatches of every instance, in Redis; also where each
	 * flush goes.
	 */
	@Bean
	RedisEvidence clusterEvidence(ReactiveStringRedisTemplate redis, RedisStateOptions options, LocalEvidence local,
			EvidenceProperties evidence, GatewayInstance instance) {
		return new RedisEvidence(redis, options, local, evidence.retention(), instance, evidence.diffsPerRoute());
	}

	@Bean
	StateStoreHealthIndicator stateStoreHealthIndicator(RedisOverrideStore store) {
		return new StateStoreHealthIndicator(store);
	}

}
