package dev.strangler.e2e.container;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

import static org.assertj.core.api.Assertions.assertThat;
import dev.strangler.testsupport.RequiresDocker;

/**
 * The images as deployed: built from the repository's Dockerfiles, run together on one
 * Docker network with the repository's route files mounted into the gateway, and
 * exercised only through published ports.
 */
@RequiresDocker
class DeploymentIT {

	private static final Path REPO = Path.of(System.getProperty("e2e.routes.dir", "../routes"))
		.toAbsolutePath()
		.normalize()
		.getParent();

	private static final Path WORK = Path.of(System.getProperty("e2e.build.dir", "target"))
		.toAbsolutePath()
		.resolve("container-it");

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private static Deployment deployment;

	@BeforeAll
	static void deploy() {
		deployment = Deployment.start(REPO, WORK, List.of("legacy", "migrated"));
	}

	@AfterAll
	static void undeploy() {
		if (deployment != null) {
			deployment.close();
		}
	}

	/**
	 * Requests the catalog route claims, a miss included: the answers must match the
	 * monolith's whichever backend serves them.
	 */
	static Stream<String> catalogRequests() {
		return Stream.of("/api/products/1", "/api/products/777", "/api/products/999999", "/api/products?page=0&size=5",
				"/api/products?page=3&size=20");
	}

	/**
	 * Requests no route claims (the repository's route files move catalog, orders and
	 * customer reads): the gateway must pass them to the monolith untouched.
	 */
	static Stream<String> unroutedRequests() {
		return Stream.of("/api/no-such-resource", "/api/no-such-resource?page=2&sort=name");
	}

	@Test
	void everyContainerReportsHealthyThroughItsImagesHealthcheck() {
		deployment.containersByName()
			.forEach((name,
					container) -> assertThat(container.getCurrentContainerInfo().getState().getHealth().getStatus())
						.as("Docker health status of %s", name)
						.isEqualTo("healthy"));
	}

	@Test
	void everyContainerRunsAsANonRootUser() throws Exception {
		for (var entry : deployment.containersByName().entrySet()) {
			GenericContainer<?> container = entry.getValue();
			assertThat(exec(container, "id", "-u")).as("uid of docker exec in %s", entry.getKey()).isNotEqualTo("0");
			assertThat(exec(container, "stat", "-c", "%u", "/proc/1"))
				.as("uid of the application process (PID 1) in %s", entry.getKey())
				.isNotEqualTo("0");
		}
	}

	@Test
	void gatewayHealthIsPublishedOnTheManagementPort() {
		HttpResponse<byte[]> health = get(deployment.managementUri("legacy", "/actuator/health"));

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(new String(health.body(), StandardCharsets.UTF_8)).contains("\"status\":\"UP\"");
	}

	@Nested
	class LegacyStage {

		@ParameterizedTest
		@MethodSource("dev.strangler.e2e.container.DeploymentIT#catalogRequests")
		void catalogRequestsAreAnsweredExactlyAsTheMonolithAnswersThem(String request) {
			JsonParity.assertSameAnswer(request, get(deployment.gatewayUri("legacy", request)),
					get(deployment.legacyUri(request)));
		}

		@ParameterizedTest
		@MethodSource("dev.strangler.e2e.container.DeploymentIT#unroutedRequests")
		void unroutedRequestsReachTheMonolith(String request) {
			JsonParity.assertSameAnswer(request, get(deployment.gatewayUri("legacy", request)),
					get(deployment.legacyUri(request)));
		}

		@Test
		void theRouteFromTheMountedFilesServesTheCatalogFromTheMonolith() {
			HttpResponse<byte[]> response = get(deployment.gatewayUri("legacy", "/api/products/1"));

			assertThat(response.headers().firstValue("X-Strangler-Route")).hasValueSatisfying(
					(route) -> assertThat(new RouteFiles(REPO.resolve("routes")).routeIds()).contains(route));
			assertThat(response.headers().firstValue("X-Strangler-Backend")).hasValue("legacy");
		}

	}

	@Nested
	class MigratedStage {

		@ParameterizedTest
		@MethodSource("dev.strangler.e2e.container.DeploymentIT#catalogRequests")
		void catalogServiceAnswersCatalogRequestsExactlyAsTheMonolithDid(String request) {
			HttpResponse<byte[]> response = get(deployment.gatewayUri("migrated", request));

			assertThat(response.headers().firstValue("X-Strangler-Backend")).as("backend of %s", request)
				.hasValue("target");
			JsonParity.assertSameAnswer(request, response, get(deployment.legacyUri(request)));
		}

		@ParameterizedTest
		@MethodSource("dev.strangler.e2e.container.DeploymentIT#unroutedRequests")
		void unroutedRequestsStillReachTheMonolith(String request) {
			JsonParity.assertSameAnswer(request, get(deployment.gatewayUri("migrated", request)),
					get(deployment.legacyUri(request)));
		}

	}

	@Nested
	class AdminOverride {

		private static final String CATALOG_ROUTE = "/actuator/migration/catalog";

		@Test
		void anOverrideMovesTheRouteToCatalogServiceUntilItIsCleared() {
			String request = "/api/products?page=2&size=5";
			try {
				HttpResponse<byte[]> set = admin(
						HttpRequest.newBuilder(deployment.managementUri("legacy", CATALOG_ROUTE))
							.header("Content-Type", "application/json")
							.POST(HttpRequest.BodyPublishers
								.ofString("{\"stage\":\"migrated\",\"reason\":\"container test\"}")));
				assertThat(set.statusCode()).as(text(set)).isEqualTo(200);

				HttpResponse<byte[]> migrated = get(deployment.gatewayUri("legacy", request));
				assertThat(migrated.headers().firstValue("X-Strangler-Backend")).hasValue("target");
				JsonParity.assertSameAnswer(request, migrated, get(deployment.legacyUri(request)));
			}
			finally {
				HttpResponse<byte[]> cleared = admin(
						HttpRequest.newBuilder(deployment.managementUri("legacy", CATALOG_ROUTE)).DELETE());
				assertThat(cleared.statusCode()).as(text(cleared)).isEqualTo(200);
			}
			assertThat(get(deployment.gatewayUri("legacy", request)).headers().firstValue("X-Strangler-Backend"))
				.hasValue("legacy");
		}

		@Test
		void anOverrideWithoutCredentialsIsRefused() {
			HttpResponse<byte[]> response = send(
					HttpRequest.newBuilder(deployment.managementUri("legacy", CATALOG_ROUTE))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("{\"stage\":\"migrated\"}")));

			assertThat(response.statusCode()).isEqualTo(401);
			assertThat(
					get(deployment.gatewayUri("legacy", "/api/products/1")).headers().firstValue("X-Strangler-Backend"))
				.hasValue("legacy");
		}

		private HttpResponse<byte[]> admin(HttpRequest.Builder request) {
			String credentials = Deployment.ADMIN_USERNAME + ":" + Deployment.ADMIN_PASSWORD;
			return send(request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
		}

		private String text(HttpResponse<byte[]> response) {
			return response.request().method() + " " + response.uri() + ": "
					+ new String(response.body(), StandardCharsets.UTF_8);
		}

	}

	private static String exec(GenericContainer<?> container, String... command) throws Exception {
		ExecResult result = container.execInContainer(command);
		assertThat(result.getExitCode()).as("exit code of %s", String.join(" ", command)).isZero();
		return result.getStdout().trim();
	}

	private static HttpResponse<byte[]> get(URI uri) {
		return send(HttpRequest.newBuilder(uri).GET());
	}

	private static HttpResponse<byte[]> send(HttpRequest.Builder builder) {
		HttpRequest request = builder.timeout(Duration.ofSeconds(15)).build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(request.method() + " " + request.uri() + " interrupted", ex);
		}
	}

}
