package dev.strangler.gateway.progression;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strangler.gateway.evidence.ClusterEvidence;
import dev.strangler.gateway.route.Progression;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.AuditEntry;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.OverrideSettings;
import dev.strangler.gateway.state.OverrideStore;
import dev.strangler.gateway.state.RouteOverride;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.lang.Nullable;

/**
 * Carries every route that has a {@code progression} block through its steps: on each
 * tick, for each route whose interval has ended, it reads the route's evidence for that
 * interval, asks the {@link ProgressionMachine} for a decision and applies it, only
 * through the override store (actor {@value #ACTOR_NAME}, the decision's explanation as
 * the reason), then saves the progression's state so a restart resumes it.
 *
 * <pre class="code">
 * controller.start(Duration.ofSeconds(1)); // one daemon thread, ticks once a second
 * controller.view("catalog"); // phase, step, next decision, last verdicts
 * </pre>
 *
 * An override set by anyone else while a progression runs means an operator took over:
 * the progression pauses. The automatic rollback's override (its target circuit opened)
 * rolls the progression back. With {@code dryRun} every decision is audited as "would
 * ..." and nothing else changes.
 *
 * With several instances only the holder of the {@link DecisionLease} decides; the others
 * tick without deciding. Every decision starts from the state in the
 * {@link ProgressionStore}, never from one kept in memory, so an instance that takes the
 * lease over (or gets it back) resumes each route where the last holder left it.
 * Operators' commands are applied by whichever instance receives them. The controller is
 * synchronized: ticks run on its one scheduler thread, operators' commands on the
 * caller's (never an event loop: the stores write files).
 */
public final class ProgressionController implements AutoCloseable {

	static final String ACTOR_NAME = "progression";

	static final Actor ACTOR = Actor.automatic(ACTOR_NAME);

	// The automatic rollback's actor (resilience.AutomaticRollback).
	static final String AUTO_ROLLBACK = "auto-rollback";

	private static final Log logger = LogFactory.getLog(ProgressionController.class);

	private final RouteTableHolder routes;

	private final OverrideStore overrides;

	private final AuditLog audit;

	private final ProgressionStore store;

	private final DecisionLease lease;

	private final ClusterEvidence evidence;

	private final Predicate<String> targetCircuitOpen;

	private final ProgressionMetrics metrics;

	private final Clock clock;

	private final ProgressionMachine machine;

	private ScheduledExecutorService scheduler;

	// Whether this instance held the lease at the last tick.
	private boolean deciding;

	// Set by close: a tick that was waiting for the monitor must not renew the lease
	// after it has been given up.
	private boolean closed;

	ProgressionController(RouteTableHolder routes, OverrideStore overrides, AuditLog audit, ProgressionStore store,
			DecisionLease lease, ClusterEvidence evidence, Predicate<String> targetCircuitOpen,
			ProgressionMetrics metrics, Clock clock) {
		this.routes = routes;
		this.overrides = overrides;
		this.audit = audit;
		this.store = store;
		this.lease = lease;
		this.evidence = evidence;
		this.targetCircuitOpen = targetCircuitOpen;
		this.metrics = metrics;
		this.clock = clock;
		this.machine = new ProgressionMachine(clock);
	}

	/**
	 * Starts ticking on one daemon thread.
	 * @param period time between ticks; decisions are taken at the first tick after a
	 * route's interval ended
	 */
	synchronized void start(Duration period) {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "strangler-progression");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::tickSafely, period.toMillis(), period.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void tickSafely() {
		try {
			tick();
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again: log and keep ticking.
			logger.error("Progression tick failed; retried at the next tick", ex);
		}
	}

	/**
	 * Takes the decisions that are due, when this instance holds the decision lease. A
	 * route whose decision cannot be applied (a store that fails) keeps its state and is
	 * decided again at the next tick.
	 */
	public synchronized void tick() {
		if (this.closed) {
			return;
		}
		if (!this.lease.holds()) {
			if (this.deciding) {
				this.deciding = false;
				this.metrics.forgetSteps();
			}
			return;
		}
		// Nothing carries over from an earlier lease: each route's state is read from
		// the store below, where another holder may have moved it on meanwhile.
		this.deciding = true;
		for (Route route : this.routes.current().routes()) {
			route.progressionPlan().ifPresent((plan) -> {
				try {
					tick(route.id(), plan);
				}
				catch (RuntimeException ex) {
					logger.error("Progression of route '" + route.id() + "' not decided; retried at the next tick", ex);
				}
			});
		}
	}

	private void tick(String routeId, Progression plan) {
		ProgressionState state = state(routeId);
		this.metrics.step(routeId, state);
		Optional<Decision> takenOver = takenOver(routeId, plan, state);
		if (takenOver.isPresent()) {
			apply(routeId, plan, takenOver.get());
			return;
		}
		if (!this.machine.due(plan, state)) {
			return;
		}
		Instant now = this.clock.instant();
		Duration span = Duration.between(state.lastDecisionAt(), now);
		IntervalFigures figures = (state.phase() == Phase.WAITING) ? IntervalFigures.NONE
				: WindowFigures.of(this.evidence.window(routeId, span), this.targetCircuitOpen.test(routeId));
		apply(routeId, plan, this.machine.decide(plan, state, figures));
	}

	/**
	 * Someone else's override on a route whose progression runs: the automatic rollback
	 * rolls it back, anyone else pauses it. A dry run owns no override, so it ignores
	 * them.
	 */
	private Optional<Decision> takenOver(String routeId, Progression plan, ProgressionState state) {
		if (plan.dryRun() || (state.phase() != Phase.RUNNING && state.phase() != Phase.AWAITING_CONFIRMATION)) {
			return Optional.empty();
		}
		Optional<RouteOverride> current = this.overrides.snapshot().get(routeId);
		if (current.isEmpty()) {
			// Every running step set an override: it was cleared since.
			return this.machine.overridden(plan, state, "an operator (override cleared)");
		}
		RouteOverride override = current.get();
		if (override.who().equals(ACTOR_NAME)) {
			return Optional.empty();
		}
		if (override.who().equals(AUTO_ROLLBACK)) {
			return this.machine.rolledBackAutomatically(plan, state, override.reason());
		}
		return this.machine.overridden(plan, state, override.who());
	}

	private void apply(String routeId, Progression plan, Decision decision) {
		String reason = plan.dryRun() ? wouldReason(decision) : decision.reason();
		if (decision.change().isPresent() && !plan.dryRun()) {
			Decision.Change change = decision.change().get();
			OverrideSettings settings = new OverrideSettings(Optional.of(change.stage()),
					Optional.of(change.percent()));
			this.overrides.update(routeId, ACTOR, reason, (before) -> Optional.of(settings));
		}
		else if (decision.audited()) {
			// Nothing to set (or a dry run): the decision is still on the audit trail,
			// with
			// the override the route keeps as both before and after.
			Optional<RouteOverride> current = this.overrides.snapshot().get(routeId);
			this.audit.append(AuditEntry.of(ACTOR, this.clock.instant(), routeId, reason, current, current));
		}
		this.store.save(decision.state());
		this.metrics.decided(routeId, decision);
		if (decision.audited()) {
			logger.info("Route '" + routeId + "': " + reason);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Route '" + routeId + "': " + reason);
		}
	}

	private static String wouldReason(Decision decision) {
		return "dry run, nothing changed: would " + verb(decision.result()) + ": " + decision.reason();
	}

	private static String verb(Decision.Result result) {
		return switch (result) {
			case STARTED -> "start";
			case PROMOTED -> "promote";
			case HELD -> "hold";
			case ROLLED_BACK -> "roll back";
			case PAUSED -> "pause";
			case RESUMED -> "resume";
			case AWAITING_CONFIRMATION -> "await confirmation";
			case COMPLETED -> "complete";
			case ABORTED -> "abort";
		};
	}

	/**
	 * An operator's command on a route's progression, applied like a decision.
	 * @param routeId the route
	 * @param command what to do
	 * @param actor who asks
	 * @return the decision
	 * @throws java.util.NoSuchElementException when the route is unknown or has no
	 * progression
	 * @throws ProgressionMachine.NotAllowed when the phase does not allow the command
	 */
	public synchronized Decision command(String routeId, Command command, Actor actor) {
		Progression plan = plan(routeId).orElseThrow();
		ProgressionState state = state(routeId);
		String why = "by " + actor.name();
		Decision decision = switch (command) {
			case PAUSE -> this.machine.pause(plan, state, why);
			case RESUME -> this.machine.resume(plan, state, why);
			case SKIP -> this.machine.skip(plan, state, why);
			case ABORT -> this.machine.abort(plan, state, why);
		};
		apply(routeId, plan, decision);
		return decision;
	}

	/**
	 * What the admin API shows of a route's progression.
	 * @param routeId the route
	 * @return the view, empty when the route is unknown or has no progression
	 */
	public synchronized Optional<ProgressionView> view(String routeId) {
		return plan(routeId).map((plan) -> {
			// Any instance shows it, holder of the lease or not: from the shared store,
			// or what this one saw last while that cannot be read.
			ProgressionState state = this.store.lastSeen(routeId)
				.orElseGet(() -> ProgressionState.waiting(routeId, this.clock.instant()));
			Instant next = state.nextDecisionAt(plan.interval());
			boolean deciding = state.phase() == Phase.RUNNING || state.phase() == Phase.WAITING;
			return new ProgressionView(state.phase().value(), state.step() + 1, plan.steps().size(),
					plan.steps().get(state.step()).toString(), plan.dryRun(), deciding ? next : null,
					deciding ? Math.max(0, Duration.between(this.clock.instant(), next).toSeconds()) : null,
					state.reason(), state.history(), this.lease.holder().orElse(null));
		});
	}

	private Optional<Progression> plan(String routeId) {
		return this.routes.current().route(routeId).flatMap(Route::progressionPlan);
	}

	private ProgressionState state(String routeId) {
		return this.store.load(routeId).orElseGet(() -> ProgressionState.waiting(routeId, this.clock.instant()));
	}

	/**
	 * Stops ticking, then gives the decision lease up. A tick under way ends first (both
	 * hold the controller's monitor), so no decision is taken after the lease is given
	 * up.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		this.lease.release();
	}

	@Override
	public String toString() {
		return "ProgressionController[" + this.store + ", " + this.lease + "]";
	}

	/**
	 * The operators' commands.
	 */
	public enum Command {

		/** Stop deciding; the route keeps its step. */
		PAUSE,

		/** Go on at the step (or confirm migrated, or restart after a rollback). */
		RESUME,

		/** Move to the next step now. */
		SKIP,

		/** Stop for good; the route keeps its override. */
		ABORT

	}

	/**
	 * A route's progression as {@code GET /actuator/migration/{id}} shows it.
	 *
	 * @param phase waiting, running, awaiting-confirmation, paused, rolled-back,
	 * completed or aborted
	 * @param step the step number, from 1
	 * @param steps how many steps there are
	 * @param stepName the step, e.g. {@code canary 10%}
	 * @param dryRun whether decisions are only audited
	 * @param nextDecisionAt when the next decision is due; {@code null} when none is
	 * (paused, rolled back, finished)
	 * @param secondsToNextDecision seconds until then
	 * @param reason the last decision's explanation
	 * @param intervals the last intervals' figures and verdicts, oldest first
	 * @param decidedBy with the Redis store, the instance that holds the decision lease
	 * (as this instance last saw it); absent with the file store, or when no instance
	 * holds it
	 */
	public record ProgressionView(String phase, int step, int steps, String stepName, boolean dryRun,
			Instant nextDecisionAt, Long secondsToNextDecision, String reason, List<Verdict> intervals,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String decidedBy) {

	}

}
