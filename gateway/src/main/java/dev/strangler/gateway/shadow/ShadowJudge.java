package dev.strangler.gateway.shadow;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import dev.strangler.gateway.compare.BodyExcerpt;
import dev.strangler.gateway.compare.CapturedResponse;
import dev.strangler.gateway.compare.CompareRules;
import dev.strangler.gateway.compare.Comparison;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.shadow.Mirror.Answer;
import dev.strangler.gateway.shadow.Mirror.MirrorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.lang.Nullable;

/**
 * Turns the answers of one mirror into a result: compares legacy's response with the
 * target's under the route's rules, learns noise from a second legacy answer and removes
 * it, and records the result in {@link ShadowReports}, with one structured log line per
 * mismatch.
 */
final class ShadowJudge {

	private static final Logger logger = LoggerFactory.getLogger(ShadowJudge.class);

	private static final Comparison NOTHING = Comparison.of(List.of(), true);

	private final ResponseComparator comparator;

	private final NoiseModel noise;

	private final ShadowReports reports;

	private final Clock clock;

	/** Compiled rules per route id, rebuilt when a reload brings a new compare block. */
	private final Map<String, RouteRules> rules = new ConcurrentHashMap<>();

	ShadowJudge(ResponseComparator comparator, NoiseModel noise, ShadowReports reports, Clock clock) {
		this.comparator = comparator;
		this.noise = noise;
		this.reports = reports;
		this.clock = clock;
	}

	/**
	 * Judges one mirror whose calls are done.
	 * @param context what was mirrored
	 * @param legacy legacy's response as the client got it; {@code null} if none was
	 * captured
	 * @param target the target's answer
	 * @param legacyAgain legacy's second answer (noise detection), if asked and received
	 * @param skipReason why there is no legacy response, when there is none
	 */
	void judge(MirrorContext context, @Nullable CapturedResponse legacy, Answer target,
			@Nullable CapturedResponse legacyAgain, String skipReason) {
		String routeId = context.route().id();
		if (legacy == null) {
			skipped(context, skipReason);
			return;
		}
		if (target.failure() != null) {
			failed(context, target.failure());
			return;
		}
		CompareRules rules = rulesOf(context.route());
		if (legacyAgain != null) {
			Comparison legacyVsLegacy = this.comparator.compare(rules, legacy, legacyAgain);
			// A look whose bodies could not be compared teaches nothing, and counts as
			// one
			// that taught nothing new, so that such a route still settles.
			this.noise.learn(routeId, context.pathKey(), legacyVsLegacy.bodyCompared() ? legacyVsLegacy : NOTHING);
		}
		Comparison comparison = this.noise.withoutNoise(routeId, context.pathKey(),
				this.comparator.compare(rules, legacy, target.response()));
		if (comparison.isMatch() && !comparison.bodyCompared()) {
			// equal status and headers say nothing about a body nobody looked at
			skipped(context, "body not compared (over strangler.shadow.max-body or undecodable)");
		}
		else if (comparison.isMatch()) {
			this.reports.matched(routeId);
		}
		else {
			mismatched(context, legacy, target.response(), comparison.differences());
		}
	}

	/**
	 * Records a mirror whose answers are the same bytes
	 * ({@link KeptResponse#sameBytesAs}): a match under any rule, which takes no
	 * comparison.
	 * @param context what was mirrored
	 */
	void matched(MirrorContext context) {
		this.reports.matched(context.route().id());
	}

	/**
	 * Records a mirror that was not compared.
	 * @param context what was mirrored
	 * @param reason why not
	 */
	void skipped(MirrorContext context, String reason) {
		this.reports.skipped(context.route().id());
		logger.debug("Shadow of {} on route {} skipped: {}", context.request(), context.route().id(), reason);
	}

	/**
	 * Records a mirror whose call (or comparison) failed.
	 * @param context what was mirrored
	 * @param failure what went wrong
	 */
	void failed(MirrorContext context, Throwable failure) {
		this.reports.failed(context.route().id());
		// debug only: a target that is down fails every mirror; the metric tells the
		// story
		logger.debug("Shadow of {} on route {} failed: {}", context.request(), context.route().id(),
				describe(failure, context.route()));
	}

	private void mismatched(MirrorContext context, CapturedResponse legacy, CapturedResponse target,
			List<Difference> differences) {
		MirrorRequest request = context.request();
		int legacyStatus = legacy.status();
		int targetStatus = target.status();
		// bounded excerpts of both bodies, so the dashboard can show them side by side
		DiffRecord record = new DiffRecord(this.clock.instant(), request.method().name(), request.pathWithQuery(),
				legacyStatus, targetStatus, differences, context.traceId(), BodyExcerpt.of(legacy),
				BodyExcerpt.of(target));
		this.reports.mismatched(context.route().id(), record);
		List<String> paths = differences.stream().map(Difference::path).distinct().toList();
		logger.atInfo()
			.addKeyValue("route", context.route().id())
			.addKeyValue("method", record.method())
			.addKeyValue("path", record.pathWithQuery())
			.addKeyValue("legacyStatus", legacyStatus)
			.addKeyValue("targetStatus", targetStatus)
			.addKeyValue("differingPaths", paths)
			.addKeyValue("traceId", context.traceId())
			.log("Shadow mismatch on route {}: {} {} legacy {} target {}, {} difference(s) at {}", context.route().id(),
					record.method(), record.pathWithQuery(), legacyStatus, targetStatus, differences.size(), paths);
	}

	private CompareRules rulesOf(Route route) {
		RouteRules cached = this.rules.get(route.id());
		if (cached != null && cached.compare() == route.compare()) {
			return cached.rules();
		}
		CompareRules rules = CompareRules.from(route.compare());
		this.rules.put(route.id(), new RouteRules(route.compare(), rules));
		return rules;
	}

	private static String describe(Throwable failure, Route route) {
		if (failure instanceof TimeoutException) {
			return "no answer within shadow.timeout " + route.shadow().timeout();
		}
		return failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	@Override
	public String toString() {
		return "ShadowJudge[comparator=" + this.comparator + ", noise=" + this.noise + "]";
	}

	private record RouteRules(Route.Compare compare, CompareRules rules) {

	}

}
