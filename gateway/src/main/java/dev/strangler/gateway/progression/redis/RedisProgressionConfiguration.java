package dev.strangler.gateway.progression.redis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import dev.strangler.gateway.progression.ProgressionProperties;
import dev.strangler.gateway.state.redis.RedisStateOptions;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Progressive delivery with the shared state store
 * ({@code strangler.state.store: redis}): the decision lease and the progression states
 * in Redis, under the shared state's key prefix. The controller itself is wired by
 * {@code ProgressionConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "strangler.state.store", havingValue = "redis")
class RedisProgressionConfiguration {

	// Given up by the controller when the context starts closing (ProgressionLifecycle),
	// while the connection is still open: not at bean destruction, when it is closed.
	@Bean(destroyMethod = "")
	RedisDecisionLease decisionLease(ReactiveStringRedisTemplate redis, RedisStateOptions options,
			ProgressionProperties properties) {
		return new RedisDecisionLease(redis, new ProgressionKeys(options.keyPrefix()).lease(), instanceId(),
				properties.leaseTtl(), options.timeout());
	}

	@Bean
	RedisProgressionStore progressionStore(ReactiveStringRedisTemplate redis, RedisStateOptions options) {
		return new RedisProgressionStore(redis, new ProgressionKeys(options.keyPrefix()).states(), options.timeout());
	}

	/**
	 * This instance in the lease and in logs: host name and process id say which one it
	 * is; a random suffix keeps two instances apart when both are process 1 on hosts of
	 * the same name, and a restarted instance apart from its earlier self.
	 */
	static String instanceId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown-host";
		}
		return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
	}

}
