package dev.strangler.gateway.control;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import dev.strangler.gateway.route.RouteFileLoader;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.FileOverrideStore;
import dev.strangler.gateway.state.JsonLinesAuditLog;
import dev.strangler.gateway.state.OverrideSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poller reloads exactly when the route files change, and the control plane keeps the
 * routes in force when they are invalid. Checks are called directly: no timing.
 */
class RouteFilePollerTests {

	private static final String CATALOG = """
			routes:
			  - id: catalog
			    match:
			      paths: [/api/products/**]
			    target: http://127.0.0.1:9
			    stage: %s
			""";

	@TempDir
	Path routes;

	@TempDir
	Path state;

	RouteTableHolder holder;

	RouteControl control;

	FileOverrideStore store;

	RouteFilePoller poller;

	final AtomicInteger reloads = new AtomicInteger();

	final FailingOnce failing = new FailingOnce();

	RouteFileLoader loader;

	@BeforeEach
	void start() throws IOException {
		write(CATALOG.formatted("legacy"));
		PathMatchingResourcePatternResolver resources = new PathMatchingResourcePatternResolver();
		String location = this.routes.toUri().toString();
		RouteFileLoader loader = new RouteFileLoader(resources, new StandardEnvironment(),
				URI.create("http://127.0.0.1:8"));
		this.loader = loader;
		this.holder = new RouteTableHolder(loader.load(location));
		this.store = new FileOverrideStore(this.state, new JsonLinesAuditLog(this.state), Clock.systemUTC());
		RouteControl.ReloadListener counting = new RouteControl.ReloadListener() {
			@Override
			public void reloaded(Optional<ReloadError> error) {
				RouteFilePollerTests.this.reloads.incrementAndGet();
			}
		};
		this.control = new RouteControl(loader, location, false, this.holder, this.store,
				List.of(counting, this.failing), Clock.systemUTC());
		this.poller = new RouteFilePoller(new RouteFilesFingerprint(resources, location), this.control,
				Duration.ofHours(1));
		this.poller.start();
	}

	@AfterEach
	void stop() {
		this.poller.stop();
		this.control.close();
	}

	@Test
	void unchangedFilesAreNotReloaded() {
		this.poller.check();
		this.poller.check();
		assertThat(this.reloads).hasValue(0);
	}

	@Test
	void aChangedFileIsReloadedOnce() throws IOException {
		write(CATALOG.formatted("migrated"));
		this.poller.check();
		this.poller.check();
		assertThat(this.reloads).hasValue(1);
		assertThat(stageInForce()).isEqualTo(Stage.MIGRATED);
	}

	@Test
	void anInvalidFileKeepsTheRoutesInForceAndIsReportedOnce() throws IOException {
		write(CATALOG.formatted("blue"));
		this.poller.check();
		this.poller.check();
		assertThat(this.reloads).hasValue(1);
		assertThat(stageInForce()).isEqualTo(Stage.LEGACY);
		assertThat(this.control.state().lastReloadError())
			.hasValueSatisfying((error) -> assertThat(error.message()).contains("catalog.yml › catalog › stage"));

		write(CATALOG.formatted("shadow"));
		this.poller.check();
		assertThat(stageInForce()).isEqualTo(Stage.SHADOW);
		assertThat(this.control.state().lastReloadError()).isEmpty();
	}

	@Test
	void anOverrideStaysInForceAcrossAReload() throws IOException {
		this.store.set("catalog", new OverrideSettings(Optional.of(Stage.CANARY), Optional.empty()),
				Actor.operator("ops"), "");
		write(CATALOG.formatted("shadow") + "    description: edited\n");
		this.poller.check();
		assertThat(stageInForce()).isEqualTo(Stage.CANARY);
		assertThat(this.control.state().route("catalog").orElseThrow().configured().stage()).isEqualTo(Stage.SHADOW);
	}

	@Test
	void anOverrideThatNeedsATargetTheFileDroppedIsNotApplied() throws IOException {
		this.store.set("catalog", new OverrideSettings(Optional.of(Stage.MIGRATED), Optional.empty()),
				Actor.operator("ops"), "");
		write(CATALOG.formatted("legacy").replace("    target: http://127.0.0.1:9\n", ""));
		this.poller.check();
		assertThat(stageInForce()).isEqualTo(Stage.LEGACY);
		assertThat(this.control.state().route("catalog").orElseThrow().overrideProblem()).isPresent();
	}

	@Test
	void aRemovedRoutesDirectoryIsAReloadErrorAndTheRoutesInForceStay() throws IOException {
		FileSystemUtils.deleteRecursively(this.routes);
		this.poller.check();
		this.poller.check();

		assertThat(this.reloads).hasValue(1);
		assertThat(stageInForce()).isEqualTo(Stage.LEGACY);
		assertThat(this.control.state().lastReloadError())
			.hasValueSatisfying((error) -> assertThat(error.message()).contains("does not exist"));

		Files.createDirectories(this.routes);
		write(CATALOG.formatted("migrated"));
		this.poller.check();
		assertThat(stageInForce()).isEqualTo(Stage.MIGRATED);
		assertThat(this.control.state().lastReloadError()).isEmpty();
	}

	@Test
	void aRoutesDirectoryWithNoRouteFileIsAReloadErrorWhenEmptyIsNotAllowed() throws IOException {
		Files.delete(this.routes.resolve("catalog.yml"));
		this.poller.check();

		assertThat(stageInForce()).isEqualTo(Stage.LEGACY);
		assertThat(this.control.state().lastReloadError())
			.hasValueSatisfying((error) -> assertThat(error.message()).contains("strangler.routes.allow-empty"));
	}

	@Test
	void aRoutesDirectoryWithNoRouteFileIsAppliedWhenEmptyIsAllowed() throws IOException {
		try (RouteControl allowingEmpty = new RouteControl(this.loader, this.routes.toUri().toString(), true,
				this.holder, this.store, List.of(), Clock.systemUTC())) {
			Files.delete(this.routes.resolve("catalog.yml"));

			assertThat(allowingEmpty.reload().succeeded()).isTrue();
			assertThat(this.holder.current().route("catalog")).isEmpty();
		}
	}

	@Test
	void anUnexpectedFailureDuringAReloadIsReportedAndRetriedAtTheNextPoll() throws IOException {
		this.failing.armed = true;
		write(CATALOG.formatted("migrated"));
		this.poller.check();

		assertThat(this.control.state().lastReloadError())
			.hasValueSatisfying((error) -> assertThat(error.message()).contains("listener broke"));

		this.poller.check();
		assertThat(stageInForce()).isEqualTo(Stage.MIGRATED);
		assertThat(this.control.state().lastReloadError()).isEmpty();
	}

	private Stage stageInForce() {
		return this.holder.current().route("catalog").orElseThrow().stage();
	}

	private void write(String yaml) throws IOException {
		Files.writeString(this.routes.resolve("catalog.yml"), yaml);
	}

	/** A listener that breaks once when armed, as a bug in any reload step would. */
	static final class FailingOnce implements RouteControl.ReloadListener {

		volatile boolean armed;

		@Override
		public void routesChanged(RouteTable effective) {
			if (this.armed) {
				this.armed = false;
				throw new IllegalArgumentException("listener broke");
			}
		}

	}

}
