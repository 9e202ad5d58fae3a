package dev.strangler.gateway.observe;

import org.junit.jupiter.api.Test;

/**
 * Health on the management port: the default upstream ({@code legacy}) and every route's
 * backends ({@code routes}), an unreachable route backend shown without failing health or
 * readiness, details for the admin only, and build information in {@code info}.
 */
class HealthIntegrationTests extends ObservedGateway {

	@Test
	void anonymousCallersSeeComponentStatusesButNoDetails() {
		this.management.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.legacy.status")
			.isEqualTo("UP")
			.jsonPath("$.components.legacy.details")
			.doesNotExist()
			.jsonPath("$.components.routes.components.catalog.components.target.status")
			.isEqualTo("UP")
			.jsonPath("$.components.routes.components.dead.components.target.status")
			.isEqualTo("UNREACHABLE");
	}

	@Test
	void theAdminSeesEachBackendsDetails() {
		this.management.get()
			.uri("/actuator/health/routes/dead")
			.headers((headers) -> headers.setBasicAuth("admin", ADMIN_PASSWORD))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.target.status")
			.isEqualTo("UNREACHABLE")
			.jsonPath("$.components.target.details.error")
			.value((error) -> org.assertj.core.api.Assertions.assertThat((String) error).contains("Connect"))
			.jsonPath("$.components.legacy.status")
			.isEqualTo("UP")
			.jsonPath("$.components.legacy.details.url")
			.isEqualTo("http://127.0.0.1:" + legacy.port());
	}

	@Test
	void readinessDependsOnTheDefaultUpstreamOnly() {
		this.management.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.legacy.status")
			.isEqualTo("UP")
			.jsonPath("$.components.routes")
			.doesNotExist();
		this.management.get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@Test
	void infoNamesTheBuild() {
		this.management.get()
			.uri("/actuator/info")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.build.artifact")
			.isEqualTo("gateway");
	}

}
