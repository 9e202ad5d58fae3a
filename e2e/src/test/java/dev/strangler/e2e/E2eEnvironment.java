package dev.strangler.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The processes of one test run: the monolith and catalog-service are started once and
 * shared by every test class; a gateway is started once per distinct {@link GatewaySetup}
 * and shared by every class that asks for the same one. Everything is stopped when the
 * run ends (and, failing that, by each process's shutdown hook).
 *
 * <pre>{@code
 * &#64;EndToEnd
 * class SomethingIT {
 *

&#64;BeforeAll
 *     static void start(E2eEnvironment env) {
 *         gateway = env.gateway(GatewaySetup.catalog(Stage.LEGACY, env.backends()));
 *     }
 * }
 * }</pre>
 */
final class E2eEnvironment implements ExtensionContext.Store.CloseableResource {

	private static final String VERSION = "0.1.0-SNAPSHOT";

	private final Map<Object, AppProcess> running = new LinkedHashMap<>();

	private int gatewayCount;

	/**
	 * The monolith, started on first use.
	 */
	synchronized AppProcess legacy() {
		return backends().legacy();
	}

	/**
	 * The extracted catalog-service, started on first use.
	 */
	synchronized AppProcess catalog() {
		return backends().catalog();
	}

	/**
	 * Both backends; those not yet running are launched together, then awaited, so their
	 * start-ups overlap.
	 */
	synchronized Backends backends() {
		List<AppProcess> launched = new ArrayList<>();
		AppProcess legacy = this.running.computeIfAbsent("legacy", (key) -> launch(launched,
				AppProcess.builder("legacy", jar("e2e.jar.legacy", "legacy-adapter", "legacy-adapter"))));
		AppProcess catalog = this.running.computeIfAbsent("catalog",
				(key) -> launch(launched, AppProcess.builder("catalog", catalogJar())));
		launched.forEach(AppProcess::awaitHealthy);
		return new Backends(legacy, catalog);
	}

	/**
	 * The extracted orders-service, started on first use (only the tests of the orders
	 * route need it, so {@link #backends()} does not start it).
	 */
	synchronized AppProcess orders() {
		AppProcess orders = this.running.get("orders");
		if (orders == null) {
			orders = AppProcess
				.builder("orders", jar("e2e.jar.orders", "new-services/orders-service", "orders-service"))
				.start();
			this.running.put("orders", orders);
			orders.awaitHealthy();
		}
		return orders;
	}

	/**
	 * A monolith of its own for tests that change data: placing an order takes stock, and
	 * the shared monolith must keep answering exactly like catalog-service's copy of the
	 * catalog.
	 */
	synchronized AppProcess writableLegacy() {
		AppProcess legacy = this.running.get("legacy-writable");
		if (legacy == null) {
			legacy = AppProcess.builder("legacy-writable", jar("e2e.jar.legacy", "legacy-adapter", "legacy-adapter"))
				.start();
			this.running.put("legacy-writable", legacy);
			legacy.awaitHealthy();
		}
		return legacy;
	}

	/**
	 * A gateway configured by {@code setup}; classes asking for an equal setup share one.
	 */
	synchronized AppProcess gateway(GatewaySetup setup) {
		AppProcess gateway = this.running.get(setup);
		if (gateway == null) {
			String name = "gateway-" + (++this.gatewayCount) + "-" + setup.name();
			Path routes = setup.writeRoutes(E2eDirectories.routes(name));
			gateway = AppProcess.builder(name, jar("e2e.jar.gateway", "gateway", "gateway"))
				.separateManagementPort()
				.arg("--strangler.legacy.url=" + setup.legacyUrl())
				.arg("--strangler.routes.location=file:" + routes.toAbsolutePath() + "/")
				.arg("--strangler.state.dir=" + E2eDirectories.work(name).resolve("state"))
				.start();
			this.running.put(setup, gateway);
			gateway.awaitHealthy();
		}
		return gateway;
	}

	/**
	 * Stops a process before the run ends, for one whose setup no other class can share
	 * (a gateway in front of a class's own WireMock).
	 */
	synchronized void stop(AppProcess process) {
		this.running.values().remove(process);
		process.close();
	}

	@Override
	public synchronized void close() {
		List<AppProcess> processes = new ArrayList<>(this.running.values());
		this.running.clear();
		// Gateways first: they were started last and depend on the backends.
		for (int i = processes.size() - 1; i >= 0; i--) {
			processes.get(i).close();
		}
	}

	private static AppProcess launch(List<AppProcess> launched, AppProcess.Builder builder) {
		AppProcess process = builder.start();
		launched.add(process);
		return process;
	}

	/**
	 * The catalog-service jar, for a test that needs a catalog-service of its own (one it
	 * stops, or one whose data it changes).
	 */
	static Path catalogJar() {
		return jar("e2e.jar.catalog", "new-services/catalog-service", "catalog-service");
	}

	/**
	 * Failsafe passes each jar's path; run from an IDE, the module's build output is
	 * used.
	 */
	private static Path jar(String property, String moduleDir, String artifactId) {
		String configured = System.getProperty(property);
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		Path repository = Path.of(System.getProperty("e2e.repository.dir", "..")).toAbsolutePath().normalize();
		return repository.resolve(moduleDir).resolve("target").resolve(artifactId + "-" + VERSION + "-exec.jar");
	}

	/**
	 * The monolith and the extracted service, both healthy.
	 */
	record Backends(AppProcess legacy, AppProcess catalog) {

	}

}
