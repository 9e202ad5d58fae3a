package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to start a gateway: its default upstream and the route files it loads. Equal setups
 * share one gateway process.
 *
 * @param name a short label for logs and directories
 * @param legacyUrl {@code strangler.legacy.url}
 * @param routeFiles route file name to YAML text
 */
record GatewaySetup(String name, URI legacyUrl, Map<String, String> routeFiles) {

	/**
	 * Route keys (appended to a route) for steady traffic on two busy cores: users sticky
	 * by {@code X-User-Id}, and bounds wide enough that a slow answer does not count as a
	 * failure (the circuit would open and roll the route back on its own).
	 */
	static final String UNDER_TRAFFIC = """
			    rollout:
			      stickyBy: header:X-User-Id
			    shadow:
			      timeout: 10s
			    resilience:
			      timeout: 10s
			      slowCallThreshold: 10s
			""";

	GatewaySetup {
		routeFiles = Map.copyOf(routeFiles);
	}

	/**
	 * A gateway with only the catalog route, at {@code stage}, between the two backends.
	 */
	static GatewaySetup catalog(Stage stage, E2eEnvironment.Backends backends) {
		return new GatewaySetup("catalog-" + stage.value(), backends.legacy().baseUri(),
				Map.of("catalog.yml", catalogRoute(stage, backends.legacy().baseUri(), backends.catalog().baseUri())));
	}

	/**
	 * A gateway with no route at all: every request goes to {@code legacyUrl}.
	 */
	static GatewaySetup unrouted(String name, URI legacyUrl) {
		return new GatewaySetup(name, legacyUrl, Map.of());
	}

	/**
	 * The catalog route file as an operator would write it (DESIGN.md §3).
	 */
	static String catalogRoute(Stage stage, URI legacy, URI target) {
		return catalogRoute(stage, legacy, target, List.of("/api/products", "/api/products/**"));
	}

	/**
	 * The catalog route claiming {@code paths} ({@code routes/catalog.yml} claims
	 * {@code /api/categories} too).
	 */
	static String catalogRoute(Stage stage, URI legacy, URI target, List<String> paths) {
		return route("catalog", "Product catalog reads, extracted to catalog-service", paths, legacy, target, stage);
	}

	/**
	 * The orders route file: order and customer reads, extracted to orders-service, as
	 * {@code routes/orders.yml} claims them.
	 */
	static String ordersRoute(Stage stage, URI legacy, URI target) {
		return route("orders", "Order and customer reads, extracted to orders-service",
				List.of("/api/orders/*", "/api/customers/*"), legacy, target, stage);
	}

	private static String route(String id, String description, List<String> paths, URI legacy, URI target,
			Stage stage) {
		return """
				routes:
				  - id: %s
				    description: %s
				    match:
				      paths: [%s]
				      methods: [GET, HEAD]
				    legacy: %s
				    target: %s
				    stage: %s
				""".formatted(id, description, String.join(", ", paths), legacy, target, stage.value());
	}

	/**
	 * Writes the route files into {@code dir} and returns it.
	 */
	Path writeRoutes(Path dir) {
		try {
			for (Map.Entry<String, String> file : new TreeMap<>(this.routeFiles).entrySet()) {
				Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
			}
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write route files to " + dir, ex);
		}
	}

	/**
	 * A route's stage, as written in a route file.
	 */
	enum Stage {

		LEGACY, SHADOW, CANARY, MIGRATED;

		String value() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
