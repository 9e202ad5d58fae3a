package dev.strangler.gateway.progression;

import java.time.Instant;
import java.util.Locale;

import dev.strangler.gateway.route.Progression;
import dev.strangler.gateway.route.Stage;

/**
 * Judges one interval's figures against a progression's gates, naming the gate that
 * decided. The rules (docs/progressive-delivery.md):
 * <ul>
 * <li>an open target circuit fails the interval, whatever else was measured;</li>
 * <li>fewer than {@code minRequests} pieces of evidence (comparisons at the shadow step,
 * target requests at a canary step) make it inconclusive: never promote on too little
 * evidence;</li>
 * <li>the mismatch rate is judged at a canary step too, once there were
 * {@code minRequests} comparisons;</li>
 * <li>error rate and p99 are judged relative to legacy in the same interval; with fewer
 * than {@code minRequests} legacy requests the target's error rate is judged on its own
 * and p99 is not judged.</li>
 * </ul>
 */
final class IntervalJudge {

	static final String ALL = "all";

	static final String CIRCUIT = "circuit";

	static final String MIN_REQUESTS = "minRequests";

	static final String MISMATCH = "maxMismatchRate";

	static final String ERRORS = "maxErrorRateOverLegacy";

	static final String P99 = "maxP99OverLegacy";

	private IntervalJudge() {
	}

	static Verdict judge(Progression.Gates gates, Progression.Step step, int index, IntervalFigures figures,
			Instant from, Instant to) {
		Judged judged = judge(gates, step, figures);
		return new Verdict(from, to, index, figures, judged.result, judged.gate, judged.detail);
	}

	private static Judged judge(Progression.Gates gates, Progression.Step step, IntervalFigures figures) {
		if (figures.circuitOpen()) {
			return new Judged(Verdict.Result.FAIL, CIRCUIT, "the target's circuit breaker is open");
		}
		boolean shadow = step.stage() == Stage.SHADOW;
		long evidence = shadow ? figures.comparisons() : figures.target().requests();
		if (evidence < gates.minRequests()) {
			return new Judged(Verdict.Result.INCONCLUSIVE, MIN_REQUESTS,
					evidence + (shadow ? " comparisons" : " target requests") + " < " + gates.minRequests());
		}
		if (figures.comparisons() >= gates.minRequests() && figures.mismatchRate() > gates.maxMismatchRate()) {
			return new Judged(Verdict.Result.FAIL, MISMATCH,
					format("mismatch rate %s > %s (%d of %d comparisons)", percent(figures.mismatchRate()),
							percent(gates.maxMismatchRate()), figures.mismatches(), figures.comparisons()));
		}
		if (!shadow) {
			Judged relative = relativeToLegacy(gates, figures);
			if (relative != null) {
				return relative;
			}
		}
		return new Judged(Verdict.Result.PASS, ALL, format("every gate passed (mismatch rate %s over %d comparisons)",
				percent(figures.mismatchRate()), figures.comparisons()));
	}

	private static Judged relativeToLegacy(Progression.Gates gates, IntervalFigures figures) {
		BackendFigures legacy = figures.legacy();
		BackendFigures target = figures.target();
		boolean legacyMeasured = legacy.requests() >= gates.minRequests();
		double legacyErrors = legacyMeasured ? legacy.errorRate() : 0;
		if (target.errorRate() - legacyErrors > gates.maxErrorRateOverLegacy()) {
			return new Judged(Verdict.Result.FAIL, ERRORS,
					format("target 5xx rate %s - legacy %s > %s (%d of %d target requests)",
							percent(target.errorRate()), percent(legacyErrors), percent(gates.maxErrorRateOverLegacy()),
							target.errors(), target.requests()));
		}
		if (legacyMeasured && legacy.p99Millis() > 0
				&& target.p99Millis() / legacy.p99Millis() > gates.maxP99OverLegacy()) {
			return new Judged(Verdict.Result.FAIL, P99,
					format("target p99 %.1f ms / legacy p99 %.1f ms = %.2f > %.2f", target.p99Millis(),
							legacy.p99Millis(), target.p99Millis() / legacy.p99Millis(), gates.maxP99OverLegacy()));
		}
		return null;
	}

	private static String percent(double fraction) {
		return format("%.3f%%", 100 * fraction);
	}

	private static String format(String pattern, Object... args) {
		return String.format(Locale.ROOT, pattern, args);
	}

	private record Judged(Verdict.Result result, String gate, String detail) {

	}

}
