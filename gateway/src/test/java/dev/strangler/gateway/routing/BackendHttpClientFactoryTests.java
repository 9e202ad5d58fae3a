package dev.strangler.gateway.routing;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientProperties.Pool.PoolType;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BackendHttpClientFactory} splits the pool per event loop only when the pool is
 * elastic.
 */
class BackendHttpClientFactoryTests {

	private ConnectionProvider built;

	@AfterEach
	void dispose() {
		if (this.built != null) {
			this.built.dispose();
		}
	}

	@Test
	void anElasticPoolTheDefaultIsSplitPerEventLoopWithItsSettings() {
		HttpClientProperties properties = new HttpClientProperties();
		properties.getPool().setName("backends");
		assertThat(properties.getPool().getType()).isEqualTo(PoolType.ELASTIC);

		this.built = factory(properties).buildConnectionProvider(properties);

		assertThat(this.built).isInstanceOf(EventLoopConnectionPools.class);
		assertThat(this.built.name()).isEqualTo("backends");
		assertThat(this.built.maxConnections()).isEqualTo(Integer.MAX_VALUE);
	}

	@ParameterizedTest
	@EnumSource(value = PoolType.class, names = { "FIXED", "DISABLED" })
	void aFixedPoolOrNoneStaysAsSpringCloudGatewayBuildsIt(PoolType type) {
		HttpClientProperties properties = new HttpClientProperties();
		properties.getPool().setType(type);
		properties.getPool().setMaxConnections(7);

		this.built = factory(properties).buildConnectionProvider(properties);

		assertThat(this.built).isNotInstanceOf(EventLoopConnectionPools.class);
		if (type == PoolType.FIXED) {
			assertThat(this.built.maxConnections()).isEqualTo(7);
		}
	}

	private static BackendHttpClientFactory factory(HttpClientProperties properties) {
		ServerProperties server = new ServerProperties();
		return new BackendHttpClientFactory(properties, server,
				new HttpClientSslConfigurer(properties.getSsl(), server, new DefaultSslBundleRegistry()), List.of());
	}

}
