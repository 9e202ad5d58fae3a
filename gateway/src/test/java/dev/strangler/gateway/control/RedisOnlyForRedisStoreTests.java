package dev.strangler.gateway.control;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RedisOnlyForRedisStoreTests {

	private static final String USERS_OWN = "org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration";

	private final RedisOnlyForRedisStore postProcessor = new RedisOnlyForRedisStore();

	@Test
	void withTheDefaultFileStoreRedisIsExcluded() {
		MockEnvironment environment = new MockEnvironment();

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(excluded(environment)).containsExactlyElementsOf(RedisOnlyForRedisStore.REDIS_AUTO_CONFIGURATIONS);
	}

	@Test
	void withTheRedisStoreNothingChanges() {
		MockEnvironment environment = new MockEnvironment().withProperty("strangler.state.store", "Redis")
			.withProperty("spring.autoconfigure.exclude", USERS_OWN);

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getPropertySources().contains(RedisOnlyForRedisStore.SOURCE_NAME)).isFalse();
		assertThat(excluded(environment)).containsExactly(USERS_OWN);
	}

	@Test
	void exclusionsTheUserConfiguredAreKeptInEitherForm() {
		MockEnvironment commaSeparated = new MockEnvironment().withProperty("strangler.state.store", "file")
			.withProperty("spring.autoconfigure.exclude",
					USERS_OWN + ", " + RedisOnlyForRedisStore.REDIS_AUTO_CONFIGURATIONS.get(0));
		MockEnvironment indexed = new MockEnvironment().withProperty("spring.autoconfigure.exclude[0]", USERS_OWN);

		this.postProcessor.postProcessEnvironment(commaSeparated, new SpringApplication());
		this.postProcessor.postProcessEnvironment(indexed, new SpringApplication());

		List<String> expected = new ArrayList<>(List.of(USERS_OWN));
		expected.addAll(RedisOnlyForRedisStore.REDIS_AUTO_CONFIGURATIONS);
		assertThat(excluded(commaSeparated)).containsExactlyElementsOf(expected);
		assertThat(excluded(indexed)).containsExactlyElementsOf(expected);
	}

	private static List<String> excluded(MockEnvironment environment) {
		return Binder.get(environment)
			.bind("spring.autoconfigure.exclude", String[].class)
			.map(List::of)
			.orElse(List.of())
			.stream()
			.map(String::trim)
			.toList();
	}

}
