package dev.strangler.gateway.control;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves Spring Boot's Redis auto-configurations out unless the state store is Redis
 * ({@code strangler.state.store: redis}). Spring Data Redis and Lettuce are on the class
 * path for that store; with the default file store Spring Boot would still create a
 * Lettuce connection factory, its client resources (a timer thread), templates and
 * meters, loading about 740 classes that nothing uses, several megabytes of resident
 * memory. Exclusions configured in {@code spring.autoconfigure.exclude} are kept.
 * <p>
 * Runs after the configuration files are read, so a store chosen there or in a profile
 * counts.
 */
final class RedisOnlyForRedisStore implements EnvironmentPostProcessor, Ordered {

	static final String STORE_PROPERTY = "strangler.state.store";

	static final String EXCLUDE_PROPERTY = "spring.autoconfigure.exclude";

	/** The name of the property source this adds, first in precedence. */
	static final String SOURCE_NAME = "strangler.redisOnlyForRedisStore";

	/** Every auto-configuration of Spring Boot 3.5 that sets up or observes Redis. */
	static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
			"org.springframework.boot.autoconfigure.data.redis.RedisReactiveAutoConfiguration",
			"org.springframework.boot.autoconfigure.data.redis.RedisRepositoriesAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.data.redis.RedisHealthContributorAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.data.redis.RedisReactiveHealthContributorAutoConfiguration",
			"org.springframework.boot.actuate.autoconfigure.metrics.redis.LettuceMetricsAutoConfiguration");

	@Override
	public int getOrder() {
		// after ConfigDataEnvironmentPostProcessor has read application.yml and profiles
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if ("redis".equalsIgnoreCase(environment.getProperty(STORE_PROPERTY, "file").trim())) {
			return;
		}
		Set<String> excluded = new LinkedHashSet<>(
				Binder.get(environment).bind(EXCLUDE_PROPERTY, String[].class).map(List::of).orElse(List.of()));
		excluded.addAll(REDIS_AUTO_CONFIGURATIONS);
		environment.getPropertySources()
			.addFirst(new MapPropertySource(SOURCE_NAME,
					Map.of(EXCLUDE_PROPERTY, String.join(",", new ArrayList<>(excluded)))));
	}

}
