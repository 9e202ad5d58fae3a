package dev.strangler.gateway;

import dev.strangler.gateway.route.InvalidRoutesException;
import dev.strangler.gateway.route.RouteError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Start-up refuses a configuration it cannot trust, and says why.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureIntegrationTests {

	@Test
	void invalidRouteFilesStopStartUpListingEveryError(CapturedOutput output) {
		Throwable failure = catchThrowable(() -> run("--strangler.legacy.url=http://127.0.0.1:1",
				"--strangler.routes.location=classpath:routes/invalid/"));
		assertThat(NestedExceptionUtils.getRootCause(failure)).isInstanceOfSatisfying(InvalidRoutesException.class,
				(ex) -> assertThat(ex.errors()).extracting(RouteError::toString)
					.containsExactly(
							"broken.yml › catalog › stage: must be one of legacy, shadow, canary, migrated (was blue)",
							"broken.yml › catalog › rollout.percent: must be between 0 and 100 (was 150)"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("broken.yml › catalog › rollout.percent: must be between 0 and 100 (was 150)");
	}

	@Test
	void missingLegacyUrlStopsStartUpNamingTheProperty(CapturedOutput output) {
		Throwable failure = catchThrowable(() -> run("--strangler.routes.location=classpath:routes/integration/"));
		assertThat(failure).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("strangler.legacy.url")
			.contains("STRANGLER_LEGACY_URL");
	}

	private static void run(String... args) {
		new SpringApplicationBuilder(StranglerGatewayApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "management.server.port=0",
					"management.server.address=127.0.0.1")
			.run(args)
			.close();
	}

}
