package dev.strangler.gateway.progression;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.strangler.gateway.evidence.BackendFigures;
import dev.strangler.gateway.evidence.EvidenceFigures;
import dev.strangler.gateway.evidence.EvidenceInterval;
import dev.strangler.gateway.evidence.EvidenceWindow;
import dev.strangler.gateway.evidence.LatencyHistogram;
import dev.strangler.gateway.evidence.ShadowFigures;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Progression;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.FileOverrideStore;
import dev.strangler.gateway.state.JsonLinesAuditLog;
import dev.strangler.gateway.state.OverrideSettings;
import dev.strangler.gateway.state.RouteOverride;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressionControllerTests {

	private static final Duration INTERVAL = Duration.ofMinutes(1);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@TempDir
	Path dir;

	private JsonLinesAuditLog audit;

	private FileOverrideStore overrides;

	private ProgressionController controller;

	/** What the scripted evidence answers for the next window. */
	private EvidenceFigures next = EvidenceFigures.NONE;

	private boolean circuitOpen;

	@AfterEach
	void close() {
		if (this.controller != null) {
			this.controller.close();
		}
	}

	private ProgressionController controller(Progression plan) {
		this.audit = new JsonLinesAuditLog(this.dir);
		this.overrides = new FileOverrideStore(this.dir, this.audit, this.clock);
		return controller(plan, new FileProgressionStore(this.dir), DecisionLease.ALWAYS);
	}

	/** Another instance on the same override store and audit trail. */
	private ProgressionController controller(Progression plan, ProgressionStore store, DecisionLease lease) {
		RouteTableHolder routes = new RouteTableHolder(RouteTable.of(List.of(route(plan))));
		return new ProgressionController(routes, this.overrides, this.audit, store, lease,
				(routeId, span) -> new EvidenceWindow(routeId, this.clock.instant().minus(span), this.clock.instant(),
						EvidenceWindow.Scope.INSTANCE, List.of(new EvidenceInterval(this.clock.instant(), this.next)),
						Optional.empty()),
				(routeId) -> this.circuitOpen, new ProgressionMetrics(this.registry), this.clock);
	}

	static Progression plan(boolean autoMigrate, boolean dryRun) {
		return new Progression(INTERVAL,
				List.of(new Progression.Step(Stage.SHADOW, Percent.ZERO, INTERVAL, 100),
						new Progression.Step(Stage.CANARY, Percent.parse("10"), INTERVAL, 0),
						new Progression.Step(Stage.CANARY, Percent.parse("50"), INTERVAL, 0),
						new Progression.Step(Stage.MIGRATED, Percent.ALL, INTERVAL, 0)),
				new Progression.Gates(0.001, 0.005, 1.5, 100), 2, 3, Progression.OnFailure.ROLLBACK, autoMigrate,
				dryRun);
	}

	private static Route route(Progression plan) {
		Route.Match match = new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/catalog/**")),
				Set.of(HttpMethod.GET));
		return new Route("catalog", "", "catalog.yml", match, URI.create("http://legacy.test"),
				URI.create("http://target.test"), Stage.LEGACY, Route.Rollout.DEFAULT, Route.Shadow.DEFAULT,
				Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT, plan);
	}

	private static EvidenceFigures shadowEvidence(long compared, long mismatches) {
		return new EvidenceFigures(new ShadowFigures(compared - mismatches, mismatches, 0, 0, 0),
				backend(compared, 0, 20), BackendFigures.NONE);
	}

	private static EvidenceFigures canaryEvidence(long targetRequests, long targetErrors) {
		return new EvidenceFigures(new ShadowFigures(0, 0, 0, 0, 0), backend(800, 0, 20),
				backend(targetRequests, targetErrors, 20));
	}

	private static BackendFigures backend(long requests, long errors, long p99Millis) {
		long[] counts = new long[LatencyHistogram.BUCKETS];
		counts[LatencyHistogram.bucketOf(Duration.ofMillis(p99Millis).toNanos())] = requests;
		return new BackendFigures(requests, errors, LatencyHistogram.of(counts));
	}

	private void interval(EvidenceFigures figures) {
		this.next = figures;
		this.clock.advance(INTERVAL);
		this.controller.tick();
	}

	private Optional<OverrideSettings> override() {
		return this.overrides.snapshot().get("catalog").map(RouteOverride::settings);
	}

	private static OverrideSettings settings(Stage stage, String percent) {
		return new OverrideSettings(Optional.of(stage), Optional.of(Percent.parse(percent)));
	}

	private List<AuditEntry> auditOldestFirst() {
		List<AuditEntry> entries = new java.util.ArrayList<>(this.audit.recent("catalog", 100));
		java.util.Collections.reverse(entries);
		return entries;
	}

	private double decisions(String result) {
		var counter = this.registry.find(ProgressionMetrics.DECISIONS)
			.tags("route", "catalog", "result", result)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void carriesARouteFromShadowThroughTheCanaryStepsToMigratedAuditingEveryStep() {
		this.controller = controller(plan(true, false));
		this.controller.tick();
		assertThat(override()).contains(settings(Stage.SHADOW, "0"));
		interval(shadowEvidence(150, 0));
		assertThat(override()).contains(settings(Stage.CANARY, "10"));
		interval(canaryEvidence(200, 0));
		assertThat(override()).contains(settings(Stage.CANARY, "50"));
		interval(canaryEvidence(400, 0));
		assertThat(override()).contains(settings(Stage.MIGRATED, "100"));
		assertThat(this.controller.view("catalog")).hasValueSatisfying((view) -> {
			assertThat(view.phase()).isEqualTo("completed");
			assertThat(view.step()).isEqualTo(4);
			assertThat(view.intervals()).hasSize(3)
				.allSatisfy((v) -> assertThat(v.result()).isEqualTo(Verdict.Result.PASS));
		});
		List<AuditEntry> entries = auditOldestFirst();
		assertThat(entries).extracting(AuditEntry::who).containsOnly("progression");
		assertThat(entries).extracting(AuditEntry::reason)
			.satisfiesExactly((r) -> assertThat(r).startsWith("started at the first step"),
					(r) -> assertThat(r).startsWith("promoted to step 2 of 4 (canary 10%)").contains("150 comparisons"),
					(r) -> assertThat(r).startsWith("promoted to step 3 of 4 (canary 50%)")
						.contains("target 200 requests"),
					(r) -> assertThat(r).startsWith("promoted to step 4 of 4 (migrated)"));
		assertThat(this.registry.get(ProgressionMetrics.STEP).tag("route", "catalog").gauge().value()).isEqualTo(4);
		assertThat(decisions("promoted")).isEqualTo(2);
		assertThat(decisions("completed")).isEqualTo(1);
	}

	@Test
	void aGateFailingFailureLimitTimesRollsTheRouteBackAuditedWithTheGate() {
		this.controller = controller(plan(true, false));
		this.controller.tick();
		interval(shadowEvidence(150, 0));
		interval(canaryEvidence(200, 20));
		assertThat(override()).contains(settings(Stage.CANARY, "10"));
		interval(canaryEvidence(200, 20));
		assertThat(override()).contains(settings(Stage.SHADOW, "0"));
		assertThat(this.controller.view("catalog")).hasValueSatisfying((view) -> {
			assertThat(view.phase()).isEqualTo("rolled-back");
			assertThat(view.nextDecisionAt()).isNull();
		});
		AuditEntry last = this.audit.recent("catalog", 1).get(0);
		assertThat(last.who()).isEqualTo("progression");
		assertThat(last.reason()).startsWith("rolled back to shadow: gate failed 2 interval(s) in a row at step 2")
			.contains("maxErrorRateOverLegacy: target 5xx rate 10.000%");
		assertThat(decisions("rolled-back")).isEqualTo(1);
		interval(canaryEvidence(200, 0));
		assertThat(override()).contains(settings(Stage.SHADOW, "0"));
	}

	@Test
	void aDryRunAuditsWhatItWouldDoAndChangesNothing() {
		this.controller = controller(plan(true, true));
		this.controller.tick();
		interval(shadowEvidence(150, 0));
		interval(canaryEvidence(200, 0));
		assertThat(override()).isEmpty();
		assertThat(auditOldestFirst()).extracting(AuditEntry::reason)
			.satisfiesExactly((r) -> assertThat(r).startsWith("dry run, nothing changed: would start"),
					(r) -> assertThat(r).startsWith("dry run, nothing changed: would promote: promoted to step 2"),
					(r) -> assertThat(r).startsWith("dry run, nothing changed: would promote: promoted to step 3"));
		assertThat(auditOldestFirst()).allSatisfy((entry) -> assertThat(entry.after()).isEmpty());
		assertThat(this.controller.view("catalog")).hasValueSatisfying((view) -> assertThat(view.step()).isEqualTo(3));
	}

	@Test
	void aRestartResumesAtTheStepWithItsCounts() {
		this.controller = controller(plan(true, false));
		this.controller.tick();
		interval(shadowEvidence(150, 0));
		interval(canaryEvidence(200, 20));
		this.controller.close();
		this.controller = controller(plan(true, false));
		assertThat(this.controller.view("catalog")).hasValueSatisfying((view) -> {
			assertThat(view.phase()).isEqualTo("running");
			assertThat(view.step()).isEqualTo(2);
		});
		interval(canaryEvidence(200, 20));
		assertThat(override()).contains(settings(Stage.SHADOW, "0"));
		assertThat(this.audit.recent("catalog", 1).get(0).reason()).startsWith("rolled back to shadow: gate failed 2");
	}

	@Test
	void anOperatorsOverridePausesTheProgression() {
		this.controller = controller(plan(true, false));
		this.controller.tick();
		interval(shadowEvidence(150, 0));
		this.clock.advance(Duration.ofSeconds(1));
		this.overrides.set("catalog", settings(Stage.CANARY, "5"), Actor.operator("alice"), "looks odd");
		this.controller.tick();
		assertThat(this.controller.view("catalog")).hasValueSatisfying((view) -> {
			assertThat(view.phase()).isEqualTo("paused");
			assertThat(view.reason()).contains("override set by alice");
		});
		interval(canaryEvidence(200, 0));
		assertThat(override()).contains(settings(Stage.CANARY, "5"));
	}

	@Test
	void theAutomaticRollbackRollsTheProgressionBack() {
		this.controller = controller(plan(true, false));
		this.controller.tick();
		interval(shadowEvidence(150, 0));
		this.clock.advance(Duration.ofSeconds(1));
		this.overrides.set("catalog", new OverrideSettings(Optional.of(Stage.LEGACY), Optional.empty()),
				Actor.automatic("auto-rollback"), "target circuit open");
		this.controller.tick();
		assertThat(this.controller.view("catalog")).hasValueSatisfying((view) -> {
			assertThat(view.phase()).isEqualTo("rolled-back");
			assertThat(view.reason()).contains("automatic rollback").contains("target circuit open");
		});
		assertThat(override()).contains(new OverrideSettings(Optional.of(Stage.LEGACY), Optional.empty()));
		assertThat(this.audit.recent("catalog", 1).get(0).who()).isEqualTo("progression");
	}

	@Test
	void anOperatorCommandIsAppliedLikeADecision() {
		this.controller = controller(plan(false, false));
		this.controller.tick();
		this.controller.command("catalog", ProgressionController.Command.SKIP, Actor.operator("alice"));
		assertThat(override()).contains(settings(Stage.CANARY, "10"));
		assertThat(this.audit.recent("catalog", 1).get(0).reason())
			.isEqualTo("skipped to step 2 of 4 (canary 10%): by alice");
	}

	@Nested
	class SeveralInstances {

		private final ProgressionStore shared = new SharedProgressionStore();

		private final ScriptedLease leaseA = new ScriptedLease("gw-a");

		private final ScriptedLease leaseB = new ScriptedLease("gw-b");

		private ProgressionController a;

		private ProgressionController b;

		@BeforeEach
		void twoInstances() {
			ProgressionControllerTests.this.audit = new JsonLinesAuditLog(ProgressionControllerTests.this.dir);
			ProgressionControllerTests.this.overrides = new FileOverrideStore(ProgressionControllerTests.this.dir,
					ProgressionControllerTests.this.audit, ProgressionControllerTests.this.clock);
			this.a = controller(plan(true, false), this.shared, this.leaseA);
			this.b = controller(plan(true, false), this.shared, this.leaseB);
		}

		private void intervalOnBoth(EvidenceFigures figures) {
			ProgressionControllerTests.this.next = figures;
			ProgressionControllerTests.this.clock.advance(INTERVAL);
			this.a.tick();
			this.b.tick();
		}

		private void holder(ScriptedLease holder) {
			String instance = (holder != null) ? holder.instance : null;
			this.leaseA.heldBy = instance;
			this.leaseB.heldBy = instance;
		}

		@Test
		void anInstanceWithoutTheLeaseDecidesNothingButShowsTheProgression() {
			holder(null);
			this.a.tick();
			intervalOnBoth(shadowEvidence(150, 0));
			assertThat(override()).isEmpty();
			assertThat(auditOldestFirst()).isEmpty();
			assertThat(this.shared.load("catalog")).isEmpty();
			assertThat(decisions("started")).isZero();
			assertThat(this.a.view("catalog")).hasValueSatisfying((view) -> {
				assertThat(view.phase()).isEqualTo("waiting");
				assertThat(view.decidedBy()).isNull();
			});
		}

		@Test
		void onlyTheHolderOfTheLeaseDecidesSoEachStepIsTakenOnce() {
			holder(this.leaseA);
			this.a.tick();
			this.b.tick();
			intervalOnBoth(shadowEvidence(150, 0));
			intervalOnBoth(canaryEvidence(200, 0));
			assertThat(override()).contains(settings(Stage.CANARY, "50"));
			assertThat(auditOldestFirst()).extracting(AuditEntry::reason)
				.satisfiesExactly((r) -> assertThat(r).startsWith("started at the first step"),
						(r) -> assertThat(r).startsWith("promoted to step 2 of 4"),
						(r) -> assertThat(r).startsWith("promoted to step 3 of 4"));
			assertThat(this.b.view("catalog")).hasValueSatisfying((view) -> {
				assertThat(view.step()).isEqualTo(3);
				assertThat(view.decidedBy()).isEqualTo("gw-a");
			});
		}

		@Test
		void anInstanceThatTakesTheLeaseOverResumesEachRouteWhereTheLastHolderLeftIt() {
			holder(this.leaseA);
			this.a.tick();
			intervalOnBoth(shadowEvidence(150, 0));
			// a fails one interval at step 2 (one failure of the two that roll back)
			intervalOnBoth(canaryEvidence(200, 20));
			holder(this.leaseB);
			// b counts that failure: a second one rolls the route back
			intervalOnBoth(canaryEvidence(200, 20));
			assertThat(override()).contains(settings(Stage.SHADOW, "0"));
			assertThat(ProgressionControllerTests.this.audit.recent("catalog", 1).get(0).reason())
				.startsWith("rolled back to shadow: gate failed 2 interval(s) in a row at step 2");
		}

		@Test
		void anInstanceThatGetsTheLeaseBackReadsTheStoreNotWhatItRemembers() {
			holder(this.leaseA);
			this.a.tick();
			intervalOnBoth(shadowEvidence(150, 0));
			holder(this.leaseB);
			intervalOnBoth(canaryEvidence(200, 0));
			assertThat(override()).contains(settings(Stage.CANARY, "50"));
			holder(this.leaseA);
			intervalOnBoth(canaryEvidence(400, 0));
			// a last decided at step 2; it goes on from step 3, where b left the route
			assertThat(override()).contains(settings(Stage.MIGRATED, "100"));
			assertThat(auditOldestFirst()).extracting(AuditEntry::reason)
				.satisfiesExactly((r) -> assertThat(r).startsWith("started at the first step"),
						(r) -> assertThat(r).startsWith("promoted to step 2 of 4"),
						(r) -> assertThat(r).startsWith("promoted to step 3 of 4"),
						(r) -> assertThat(r).startsWith("promoted to step 4 of 4"));
		}

		@Test
		void aStoppedControllerGivesTheLeaseUpAndDecidesNothingMore() {
			holder(this.leaseA);
			this.a.close();
			assertThat(this.leaseA.released).isTrue();
			this.a.tick();
			assertThat(this.shared.load("catalog")).isEmpty();
		}

		@Test
		void anInstanceThatLosesTheLeaseStopsReportingTheStep() {
			holder(this.leaseA);
			this.a.tick();
			assertThat(ProgressionControllerTests.this.registry.find(ProgressionMetrics.STEP).gauges()).hasSize(1);
			holder(this.leaseB);
			this.a.tick();
			assertThat(ProgressionControllerTests.this.registry.find(ProgressionMetrics.STEP).gauges()).isEmpty();
		}

	}

	/** One instance's view of a lease the test hands from one instance to another. */
	static final class ScriptedLease implements DecisionLease {

		private final String instance;

		String heldBy;

		boolean released;

		ScriptedLease(String instance) {
			this.instance = instance;
		}

		@Override
		public boolean holds() {
			return this.instance.equals(this.heldBy);
		}

		@Override
		public Optional<String> holder() {
			return Optional.ofNullable(this.heldBy);
		}

		@Override
		public void release() {
			this.released = true;
		}

	}

	/** The shared store of several instances, in memory. */
	static final class SharedProgressionStore implements ProgressionStore {

		private final Map<String, ProgressionState> states = new ConcurrentHashMap<>();

		@Override
		public Optional<ProgressionState> load(String routeId) {
			return Optional.ofNullable(this.states.get(routeId));
		}

		@Override
		public void save(ProgressionState state) {
			this.states.put(state.routeId(), state);
		}

	}

}
