package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway of a test class's own, with the admin API open to {@link #PASSWORD}: for
 * tests that read shadow results, set or watch overrides, or reload rewritten route
 * files, none of which may leak into the gateways other classes share.
 *
 * <pre>{@code
 * AdminGateway gateway = AdminGateway.start("gateway-shadow", legacy.baseUri(), Map.of("catalog.yml", route));
 * JsonNode route = gateway.admin("/actuator/migration/catalog");
 * gateway.close();
 * }</pre>
 */
final class AdminGateway implements AutoCloseable {

	static final String PASSWORD = "e2e-admin";

	private final AppProcess process;

	private final Path routes;

	private final Path state;

	private final AppProcess.Builder builder;

	private AdminGateway(AppProcess process, Path routes, Path state, AppProcess.Builder builder) {
		this.process = process;
		this.routes = routes;
		this.state = state;
		this.builder = builder;
	}

	/**
	 * Writes the route files, starts the gateway with {@code extraArgs} and waits until
	 * it is healthy.
	 */
	static AdminGateway start(String name, URI legacyUrl, Map<String, String> routeFiles, String... extraArgs) {
		return start(name, legacyUrl, routeFiles, AppProcess::awaitHealthy, extraArgs);
	}

	/**
	 * Like {@link #start(String, URI, Map, String...)}, but waits only until the gateway
	 * is alive: for a gateway whose monolith is down on purpose (health is then DOWN).
	 */
	static AdminGateway startWithoutMonolith(String name, URI legacyUrl, Map<String, String> routeFiles,
			String... extraArgs) {
		return start(name, legacyUrl, routeFiles, AppProcess::awaitLive, extraArgs);
	}

	private static AdminGateway start(String name, URI legacyUrl, Map<String, String> routeFiles,
			Consumer<AppProcess> awaitReady, String... extraArgs) {
		Path routes = new GatewaySetup(name, legacyUrl, routeFiles).writeRoutes(E2eDirectories.routes(name));
		// Overrides survive restarts by design; an earlier run's (an automatic rollback,
		// say) must not decide this run's routing.
		Path state = E2eDirectories.work(name).resolve("state");
		deleteRecursively(state);
		AppProcess.Builder builder = AppProcess.builder(name, gatewayJar())
			.separateManagementPort()
			.env("STRANGLER_ADMIN_PASSWORD", PASSWORD)
			.arg("--strangler.legacy.url=" + legacyUrl)
			.arg("--strangler.routes.location=file:" + routes.toAbsolutePath() + "/")
			.arg("--strangler.state.dir=" + state);
		for (String arg : extraArgs) {
			builder.arg(arg);
		}
		AppProcess process = builder.start();
		try {
			awaitReady.accept(process);
		}
		catch (RuntimeException ex) {
			process.close();
			throw ex;
		}
		return new AdminGateway(process, routes, state, builder);
	}

	/**
	 * Stops this gateway and starts it again with the same arguments and the same state
	 * directory (kept, unlike at {@link #start}), waiting only until it is alive: its
	 * health may rightly be DOWN (a state store it cannot reach).
	 */
	AdminGateway restart() {
		this.process.close();
		AppProcess restarted = this.builder.start();
		try {
			restarted.awaitLive();
		}
		catch (RuntimeException ex) {
			restarted.close();
			throw ex;
		}
		return new AdminGateway(restarted, this.routes, this.state, this.builder);
	}

	AppProcess process() {
		return this.process;
	}

	URI uri(String pathAndQuery) {
		return this.process.uri(pathAndQuery);
	}

	/**
	 * The directory holding the route files the gateway loads.
	 */
	Path routesDir() {
		return this.routes;
	}

	/**
	 * {@code strangler.state.dir}, empty when the gateway started: overrides, audit trail
	 * and, by default, recordings.
	 */
	Path stateDir() {
		return this.state;
	}

	/**
	 * Sets a route's override ({@code POST /actuator/migration/{route}}), which must be
	 * accepted, and returns the route as the admin API then shows it.
	 */
	JsonNode override(String route, String jsonBody) {
		HttpResponse<byte[]> response = adminCall("POST", "/actuator/migration/" + route, jsonBody);
		assertThat(response.statusCode()).as("POST %s %s: %s", route, jsonBody, text(response)).isEqualTo(200);
		return JsonComparison.parse(response.body());
	}

	/**
	 * Replaces one route file and reloads the routes at once through the admin API.
	 */
	void rewriteRoutes(String file, String yaml) {
		new GatewaySetup("rewrite", this.process.baseUri(), Map.of(file, yaml)).writeRoutes(this.routes);
		HttpResponse<byte[]> response = adminCall("POST", "/actuator/migration/reload", "");
		assertThat(response.statusCode()).as("reload: %s", text(response)).isEqualTo(200);
	}

	/**
	 * {@code GET} of an admin resource, which must answer 200 with JSON.
	 */
	JsonNode admin(String path) {
		HttpResponse<byte[]> response = adminCall("GET", path, null);
		assertThat(response.statusCode()).as("GET %s: %s", path, text(response)).isEqualTo(200);
		JsonNode json = JsonComparison.parse(response.body());
		assertThat(json).as("GET %s is JSON: %s", path, text(response)).isNotNull();
		return json;
	}

	HttpResponse<byte[]> adminCall(String method, String path, String jsonBody) {
		HttpRequest.Builder request = Http.request(this.process.managementUri(path))
			.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
		if (jsonBody == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
		}
		return Http.exchange(request.build());
	}

	static String text(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.process.close();
	}

	@Override
	public String toString() {
		return this.process.toString();
	}

	private static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot empty " + dir, ex);
		}
	}

	/**
	 * The gateway's runnable jar. Failsafe passes its path; run from an IDE, the module's
	 * build output is used.
	 */
	static Path gatewayJar() {
		String configured = System.getProperty("e2e.jar.gateway");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		return Path.of(System.getProperty("e2e.repository.dir", ".."))
			.toAbsolutePath()
			.normalize()
			.resolve("gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar");
	}

}
