package dev.strangler.gateway.control;

import java.nio.file.Path;

import dev.strangler.gateway.StranglerGatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway on the default file store starts without any Redis bean, and with the
 * exclusions its user configured still applied.
 */
class RedisOnlyForRedisStoreIntegrationTests {

	@Test
	void theFileStoreStartsWithoutRedisAndKeepsTheUsersExclusions(@TempDir Path state) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StranglerGatewayApplication.class)
			.run("--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0",
					"--management.server.address=127.0.0.1", "--strangler.legacy.url=http://127.0.0.1:1",
					"--strangler.routes.location=classpath:routes/cache/", "--strangler.state.dir=" + state,
					"--spring.autoconfigure.exclude=org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration")) {

			assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
			assertThat(context.getBeanNamesForType(ReactiveRedisConnectionFactory.class)).isEmpty();
			assertThat(context.getBeanNamesForType(ReactiveStringRedisTemplate.class)).isEmpty();
			assertThat(context.getBeanNamesForType(InfoEndpoint.class)).isEmpty();
		}
	}

}
