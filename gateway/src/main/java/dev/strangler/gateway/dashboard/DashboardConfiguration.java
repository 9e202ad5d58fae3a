package dev.strangler.gateway.dashboard;

import java.time.Clock;

import dev.strangler.gateway.admin.MigrationAdmin;
import dev.strangler.gateway.admin.MigrationViews;
import dev.strangler.gateway.shadow.ShadowStats;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dashboard's parts that live in the application context: the figures it reads and
 * its pages. Its web routes are registered in the management server's context
 * ({@link DashboardManagementConfiguration}), so they are never served on the traffic
 * port.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

	@Bean
	RequestLatencies dashboardRequestLatencies(MeterRegistry registry) {
		return new RequestLatencies(registry);
	}

	@Bean
	MismatchHistory dashboardMismatchHistory(MigrationAdmin admin, DashboardProperties properties) {
		return new MismatchHistory(() -> admin.overview().routes().stream().map(MigrationViews.RouteView::id).toList(),
				(id) -> admin.route(id)
					.map((detail) -> detail.route().stats().shadow())
					.map(MigrationViews.ShadowView::stats)
					.orElse(ShadowStats.NONE),
				Clock.systemUTC(), properties.historySamples());
	}

	@Bean
	HistorySampler dashboardHistorySampler(MismatchHistory history, DashboardProperties properties) {
		return new HistorySampler(history, properties.historyInterval());
	}

	@Bean
	DashboardPages dashboardPages(MigrationAdmin admin, RequestLatencies latencies, MismatchHistory history) {
		return new DashboardPages(admin, latencies, history);
	}

}
