package dev.strangler.gateway.routing;

import java.util.List;

import reactor.netty.Metrics;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;

/**
 * Spring Cloud Gateway's client to the backends, built as Spring Cloud Gateway builds it
 * (its {@code spring.cloud.gateway.server.webflux.httpclient.*} properties and
 * customizers), with the connection pool split per event loop
 * ({@link EventLoopConnectionPools}) when the pool is elastic, the default. A fixed pool
 * ({@code pool.type: fixed}) caps the connections to each backend, and a cap split over
 * the event loops would let one loop wait while another has connections free: it stays
 * one shared pool, as does no pool at all ({@code disabled}).
 */
final class BackendHttpClientFactory extends HttpClientFactory {

	BackendHttpClientFactory(HttpClientProperties properties, ServerProperties serverProperties,
			HttpClientSslConfigurer sslConfigurer, List<HttpClientCustomizer> customizers) {
		super(properties, serverProperties, sslConfigurer, customizers);
	}

	@Override
	protected ConnectionProvider buildConnectionProvider(HttpClientProperties properties) {
		ConnectionProvider configured = super.buildConnectionProvider(properties);
		ConnectionProvider.Builder settings = configured.mutate();
		if (properties.getPool().getType() != HttpClientProperties.Pool.PoolType.ELASTIC || settings == null) {
			return configured;
		}
		if (properties.getPool().isMetrics()) {
			SummedPoolMeters meters = new SummedPoolMeters(Metrics.REGISTRY);
			settings.metrics(true, () -> meters);
		}
		// Its settings live on in the pools; it never opened a connection.
		configured.dispose();
		return new EventLoopConnectionPools(() -> settings.build());
	}

}
