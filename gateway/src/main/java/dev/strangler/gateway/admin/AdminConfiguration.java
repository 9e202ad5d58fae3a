package dev.strangler.gateway.admin;

import java.util.Optional;

import dev.strangler.gateway.cache.RouteCaches;
import dev.strangler.gateway.control.RouteControl;
import dev.strangler.gateway.evidence.ClusterDiffs;
import dev.strangler.gateway.evidence.ClusterEvidence;
import dev.strangler.gateway.evidence.EvidenceProperties;
import dev.strangler.gateway.resilience.CircuitStates;
import dev.strangler.gateway.shadow.ShadowReports;
import dev.strangler.gateway.progression.ProgressionController;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.ClusterEvents;
import dev.strangler.gateway.state.OverrideStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin API ({@code /actuator/migration}) and the live figures it shows.
 */
@Configuration(proxyBeanMethods = false)
class AdminConfiguration {

	@Bean
	RouteTraffic routeTraffic() {
		return new RouteTraffic();
	}

	@Bean
	MigrationAdmin migrationAdmin(RouteControl control, OverrideStore store, AuditLog auditLog,
			ObjectProvider<RouteCaches> caches, RouteTraffic traffic, ObjectProvider<ShadowReports> shadow,
			ObjectProvider<CircuitStates> circuits, ObjectProvider<ClusterEvents> events, ClusterEvidence evidence,
			EvidenceProperties evidenceProperties, ClusterDiffs diffs,
			ObjectProvider<ProgressionController> progressions) {
		return new MigrationAdmin(control, store, auditLog, Optional.ofNullable(caches.getIfAvailable()), traffic,
				Optional.ofNullable(shadow.getIfAvailable()), Optional.ofNullable(circuits.getIfAvailable()),
				Optional.ofNullable(events.getIfAvailable()), evidence, evidenceProperties.adminWindow(), diffs,
				Optional.ofNullable(progressions.getIfAvailable()));
	}

	@Bean
	MigrationEndpoint migrationEndpoint(RouteControl control, MigrationAdmin admin) {
		return new MigrationEndpoint(control, admin);
	}

	@Bean
	static StrictBodyAdvisor migrationStrictBodyAdvisor() {
		return new StrictBodyAdvisor(EndpointId.of(MigrationEndpoint.ID));
	}

}
