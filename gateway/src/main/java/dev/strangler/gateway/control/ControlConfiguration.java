package dev.strangler.gateway.control;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.strangler.gateway.cache.RouteCaches;
import dev.strangler.gateway.config.StranglerProperties;
import dev.strangler.gateway.route.RouteFileLoader;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.FileOverrideStore;
import dev.strangler.gateway.state.JsonLinesAuditLog;
import dev.strangler.gateway.state.OverrideStore;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * The control plane: the embedded state store in {@code strangler.state.dir} (or the
 * Redis one, {@link RedisStateConfiguration}), the effective routes (files plus
 * overrides) and the reload of changed route files.
 */
@Configuration(proxyBeanMethods = false)
class ControlConfiguration {

	@Bean
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "file", matchIfMissing = true)
	JsonLinesAuditLog auditLog(StranglerProperties properties) {
		return new JsonLinesAuditLog(properties.state().dir());
	}

	@Bean
	@ConditionalOnProperty(name = "strangler.state.store", havingValue = "file", matchIfMissing = true)
	FileOverrideStore overrideStore(StranglerProperties properties, AuditLog auditLog, ObjectProvider<Clock> clock) {
		return new FileOverrideStore(properties.state().dir(), auditLog, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	ReloadMetrics reloadMetrics(MeterRegistry registry) {
		return new ReloadMetrics(registry);
	}

	@Bean
	RouteControl routeControl(RouteFileLoader loader, StranglerProperties properties, RouteTableHolder holder,
			OverrideStore store, ReloadMetrics metrics, ObjectProvider<RouteCaches> caches,
			ObjectProvider<Clock> clock) {
		List<RouteControl.ReloadListener> listeners = new ArrayList<>();
		listeners.add(metrics);
		caches.ifAvailable((routeCaches) -> listeners.add(new RouteCachesListener(routeCaches)));
		return new RouteControl(loader, properties.routes().location(), properties.routes().allowEmpty(), holder, store,
				listeners, clock.getIfAvailable(Clock::systemUTC));
	}

	@Bean
	RouteFilePoller routeFilePoller(ResourceLoader resourceLoader, StranglerProperties properties,
			RouteControl control) {
		return new RouteFilePoller(
				new RouteFilesFingerprint(ResourcePatternUtils.getResourcePatternResolver(resourceLoader),
						properties.routes().location()),
				control, properties.routes().pollInterval());
	}

}
