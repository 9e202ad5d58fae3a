package dev.strangler.e2e.container;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.lifecycle.Startables;

/**
 * The product deployed as containers on one Docker network, the way an operator runs it:
 * the monolith, catalog-service, and one gateway per stage under test, each with its own
 * route directory mounted at {@code /app/routes}. Every container must pass its image's
 * own {@code HEALTHCHECK} before the deployment counts as started.
 *
 * <pre>{@code
 * try (Deployment deployment = Deployment.start(repo, workDir, List.of("legacy", "migrated"))) {
 *     HttpResponse<byte[]> response = get(deployment.gatewayUri("migrated", "/api/products/1"));
 * }
 * }</pre>
 */
final class Deployment implements AutoCloseable {

	static final int LEGACY_PORT = 8081;

	static final int CATALOG_PORT = 8082;

	static final int GATEWAY_PORT = 8080;

	static final int MANAGEMENT_PORT = 9090;

	static final String ADMIN_USERNAME = "admin";

	static final String ADMIN_PASSWORD = "container-it";

	private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

	// The demo's settings: small heaps and quick start-up, four JVMs share the machine.
	private static final String JAVA_OPTIONS = "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError";

	private final Network network = Network.newNetwork();

	private final Path logs;

	private final GenericContainer<?> legacy;

	private final GenericContainer<?> catalog;

	private final Map<String, GenericContainer<?>> gateways = new LinkedHashMap<>();

	private Deployment(Path repo, Path workDir, List<String> stages) {
		this.logs = workDir.resolve("logs");
		this.legacy = app(ModuleImage.of("legacy-adapter", "e2e.jar.legacy").build(repo), "legacy", LEGACY_PORT);
		this.catalog = app(ModuleImage.of("new-services/catalog-service", "e2e.jar.catalog").build(repo), "catalog",
				CATALOG_PORT);
		ImageFromDockerfile gatewayImage = ModuleImage.of("gateway", "e2e.jar.gateway").build(repo);
		RouteFiles routes = new RouteFiles(repo.resolve("routes"));
		for (String stage : stages) {
			Path routeDir = routes.withStage(stage, workDir.resolve("routes-" + stage));
			this.gateways.put(stage, gateway(gatewayImage, routeDir));
		}
	}

	/**
	 * Builds the images, starts every container and waits until all report healthy.
	 */
	static Deployment start(Path repo, Path workDir, List<String> gatewayStages) {
		Deployment deployment = new Deployment(repo, workDir, gatewayStages);
		try {
			Startables.deepStart(deployment.containers()).join();
			return deployment;
		}
		catch (RuntimeException ex) {
			deployment.close();
			throw new IllegalStateException("the deployment did not start; container logs in " + deployment.logs, ex);
		}
	}

	private GenericContainer<?> app(ImageFromDockerfile image, String alias, int port) {
		return new GenericContainer<>(image).withNetwork(this.network)
			.withNetworkAliases(alias)
			.withExposedPorts(port)
			.withEnv("JAVA_TOOL_OPTIONS", JAVA_OPTIONS)
			.waitingFor(Wait.forHealthcheck().withStartupTimeout(STARTUP_TIMEOUT));
	}

	private GenericContainer<?> gateway(ImageFromDockerfile image, Path routeDir) {
		return new GenericContainer<>(image).withNetwork(this.network)
			.withExposedPorts(GATEWAY_PORT, MANAGEMENT_PORT)
			.withEnv("JAVA_TOOL_OPTIONS", JAVA_OPTIONS)
			.withEnv("STRANGLER_LEGACY_URL", "http://legacy:" + LEGACY_PORT)
			// The placeholders in routes/*.yml.
			.withEnv("LEGACY_URL", "http://legacy:" + LEGACY_PORT)
			.withEnv("CATALOG_URL", "http://catalog:" + CATALOG_PORT)
			.withEnv("STRANGLER_ADMIN_USERNAME", ADMIN_USERNAME)
			.withEnv("STRANGLER_ADMIN_PASSWORD", ADMIN_PASSWORD)
			// Deliberately a bind mount, as in compose.yaml: the image ships no routes of
			// its own.
			.withFileSystemBind(routeDir.toString(), "/app/routes", BindMode.READ_ONLY)
			.waitingFor(Wait.forHealthcheck().withStartupTimeout(STARTUP_TIMEOUT));
	}

	List<GenericContainer<?>> containers() {
		List<GenericContainer<?>> all = new ArrayList<>(List.of(this.legacy, this.catalog));
		all.addAll(this.gateways.values());
		return all;
	}

	Map<String, GenericContainer<?>> containersByName() {
		Map<String, GenericContainer<?>> byName = new LinkedHashMap<>();
		byName.put("legacy", this.legacy);
		byName.put("catalog", this.catalog);
		this.gateways.forEach((stage, gateway) -> byName.put("gateway-" + stage, gateway));
		return byName;
	}

	URI legacyUri(String pathAndQuery) {
		return uri(this.legacy, LEGACY_PORT, pathAndQuery);
	}

	URI catalogUri(String pathAndQuery) {
		return uri(this.catalog, CATALOG_PORT, pathAndQuery);
	}

	URI gatewayUri(String stage, String pathAndQuery) {
		return uri(gateway(stage), GATEWAY_PORT, pathAndQuery);
	}

	URI managementUri(String stage, String path) {
		return uri(gateway(stage), MANAGEMENT_PORT, path);
	}

	private GenericContainer<?> gateway(String stage) {
		GenericContainer<?> gateway = this.gateways.get(stage);
		if (gateway == null) {
			throw new IllegalArgumentException("no gateway for stage " + stage + " in " + this.gateways.keySet());
		}
		return gateway;
	}

	private static URI uri(GenericContainer<?> container, int port, String pathAndQuery) {
		return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(port) + pathAndQuery);
	}

	/**
	 * Saves every container's log (for the build's test reports), then stops them all.
	 */
	@Override
	public void close() {
		containersByName().forEach(this::saveLog);
		containers().forEach(GenericContainer::stop);
		this.network.close();
	}

	private void saveLog(String name, GenericContainer<?> container) {
		if (container.getContainerId() == null) {
			return;
		}
		try {
			Files.createDirectories(this.logs);
			Files.writeString(this.logs.resolve(name + ".log"), container.getLogs(), StandardCharsets.UTF_8);
		}
		catch (IOException | RuntimeException ex) {
			// A lost log must not keep the other containers running.
			System.err.println("Could not save the log of container " + name + ": " + ex);
		}
	}

}
