package dev.strangler.gateway.route;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a route's {@code progression} block, reporting every problem with its field path
 * ({@code progression.steps[2].percent}). The checks that span steps (order, first and
 * last) are made here too, so one file read shows all of them.
 */
final class ProgressionParser {

	private static final String PATH = "progression";

	private static final Set<String> KEYS = Set.of("interval", "steps", "gates", "failureLimit", "inconclusiveLimit",
			"onFailure", "autoMigrate", "dryRun");

	private static final Set<String> STEP_KEYS = Set.of("stage", "percent", "hold", "minComparisons");

	private static final Set<String> GATE_KEYS = Set.of("maxMismatchRate", "maxErrorRateOverLegacy", "maxP99OverLegacy",
			"minRequests");

	private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

	private ProgressionParser() {
	}

	/**
	 * The route's progression; {@code null} when it has none or it is invalid (the errors
	 * are then in the reader).
	 */
	static Progression parse(JsonNode route, NodeReader reader, boolean hasTarget) {
		JsonNode node = reader.mapping(route, "", PATH).orElse(null);
		if (node == null) {
			return null;
		}
		reader.rejectUnknownKeys(node, PATH, KEYS);
		if (!hasTarget) {
			reader.error(PATH, "needs a target: a progression carries the route to its target", null);
		}
		Duration interval = reader.value(node, PATH, "interval", RouteFileParser::duration)
			.orElse(Progression.DEFAULT_INTERVAL);
		List<Progression.Step> steps = steps(node, reader, interval);
		Progression.Gates gates = gates(node, reader);
		int failureLimit = reader.value(node, PATH, "failureLimit", (text) -> RouteFileParser.integer(text, 1, 100))
			.orElse(Progression.DEFAULT_FAILURE_LIMIT);
		int inconclusiveLimit = reader
			.value(node, PATH, "inconclusiveLimit", (text) -> RouteFileParser.integer(text, 1, 1000))
			.orElse(Progression.DEFAULT_INCONCLUSIVE_LIMIT);
		Progression.OnFailure onFailure = reader.value(node, PATH, "onFailure", ProgressionParser::onFailure)
			.orElse(Progression.OnFailure.ROLLBACK);
		boolean autoMigrate = reader.value(node, PATH, "autoMigrate", RouteFileParser::bool).orElse(false);
		boolean dryRun = reader.value(node, PATH, "dryRun", RouteFileParser::bool).orElse(false);
		return new Progression(interval, steps, gates, failureLimit, inconclusiveLimit, onFailure, autoMigrate, dryRun);
	}

	private static List<Progression.Step> steps(JsonNode progression, NodeReader reader, Duration interval) {
		JsonNode node = progression.get("steps");
		String field = PATH + ".steps";
		if (node == null || node.isNull()) {
			reader.error(field, "is required: at least two steps, for example shadow, then percent: 10", null);
			return List.of();
		}
		if (!node.isArray()) {
			reader.error(field, "must be a list of steps", null);
			return List.of();
		}
		if (node.size() < 2) {
			reader.error(field, "needs at least two steps (was " + node.size() + ")", null);
		}
		List<Progression.Step> steps = new ArrayList<>();
		BigDecimal lastPercent = BigDecimal.ZERO;
		for (int i = 0; i < node.size(); i++) {
			String path = field + "[" + i + "]";
			JsonNode item = node.get(i);
			if (!item.isObject()) {
				reader.error(path, "must be a mapping with a stage or a percent", null);
				continue;
			}
			Progression.Step step = step(item, path, reader, interval, i, node.size());
			if (step == null) {
				continue;
			}
			if (step.stage() == Stage.CANARY) {
				if (step.percent().value().compareTo(lastPercent) <= 0) {
					reader.error(path + ".percent", "must be higher than the step before's " + lastPercent,
							step.percent().toString());
				}
				lastPercent = step.percent().value();
			}
			steps.add(step);
		}
		return steps;
	}

	private static Progression.Step step(JsonNode node, String path, NodeReader reader, Duration interval, int index,
			int count) {
		reader.rejectUnknownKeys(node, path, STEP_KEYS);
		boolean hasStage = !RouteFileParser.isAbsent(node, "stage");
		boolean hasPercent = !RouteFileParser.isAbsent(node, "percent");
		if (hasStage == hasPercent) {
			reader.error(path, "needs either a stage (shadow or migrated) or a percent (a canary step)", null);
			return null;
		}
		Duration hold = reader.value(node, path, "hold", RouteFileParser::duration).orElse(interval);
		long minComparisons = reader
			.value(node, path, "minComparisons", (text) -> RouteFileParser.integer(text, 0, Integer.MAX_VALUE))
			.orElse(0);
		if (hasPercent) {
			Percent percent = reader.value(node, path, "percent", ProgressionParser::canaryPercent).orElse(null);
			if (!RouteFileParser.isAbsent(node, "minComparisons")) {
				reader.error(path + ".minComparisons", "is only for the shadow step", null);
			}
			return (percent != null) ? new Progression.Step(Stage.CANARY, percent, hold, 0) : null;
		}
		Stage stage = reader.value(node, path, "stage", ProgressionParser::stage).orElse(null);
		if (stage == Stage.SHADOW) {
			if (index != 0) {
				reader.error(path + ".stage", "shadow can only be the first step", "shadow");
			}
			return new Progression.Step(Stage.SHADOW, Percent.ZERO, hold, minComparisons);
		}
		if (stage == Stage.MIGRATED) {
			if (index != count - 1) {
				reader.error(path + ".stage", "migrated can only be the last step", "migrated");
			}
			for (String key : List.of("hold", "minComparisons")) {
				if (!RouteFileParser.isAbsent(node, key)) {
					reader.error(path + "." + key, "has no meaning on the last step migrated", null);
				}
			}
			return new Progression.Step(Stage.MIGRATED, Percent.ALL, hold, 0);
		}
		return null;
	}

	private static Progression.Gates gates(JsonNode progression, NodeReader reader) {
		Progression.Gates defaults = Progression.Gates.DEFAULT;
		return reader.mapping(progression, PATH, "gates").map((node) -> {
			String path = PATH + ".gates";
			reader.rejectUnknownKeys(node, path, GATE_KEYS);
			return new Progression.Gates(
					reader.value(node, path, "maxMismatchRate", ProgressionParser::rate)
						.orElse(defaults.maxMismatchRate()),
					reader.value(node, path, "maxErrorRateOverLegacy", ProgressionParser::rate)
						.orElse(defaults.maxErrorRateOverLegacy()),
					reader.value(node, path, "maxP99OverLegacy", ProgressionParser::ratio)
						.orElse(defaults.maxP99OverLegacy()),
					reader.value(node, path, "minRequests", (text) -> RouteFileParser.integer(text, 1, 100_000_000))
						.map(Integer::longValue)
						.orElse(defaults.minRequests()));
		}).orElse(defaults);
	}

	private static Stage stage(String text) {
		String name = text.trim().toLowerCase(Locale.ROOT);
		return switch (name) {
			case "shadow" -> Stage.SHADOW;
			case "migrated" -> Stage.MIGRATED;
			case "canary" -> throw new IllegalArgumentException("a canary step is written as percent: N, not a stage");
			default -> throw new IllegalArgumentException("must be shadow or migrated (canary steps give a percent)");
		};
	}

	private static Percent canaryPercent(String text) {
		Percent percent = Percent.parse(text);
		if (percent.value().signum() == 0 || percent.value().compareTo(HUNDRED) == 0) {
			throw new IllegalArgumentException(
					"must be above 0 and below 100 (use stage: shadow or stage: migrated for those)");
		}
		return percent;
	}

	/**
	 * A percentage, the {@code %} sign optional: {@code 0.1%} and {@code 0.1} are both a
	 * tenth of a percent. Returned as a fraction.
	 */
	static double rate(String text) {
		String number = text.trim();
		if (number.endsWith("%")) {
			number = number.substring(0, number.length() - 1).trim();
		}
		BigDecimal value;
		try {
			value = new BigDecimal(number);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("must be a percentage such as 0.1%");
		}
		if (value.signum() < 0 || value.compareTo(HUNDRED) > 0) {
			throw new IllegalArgumentException("must be a percentage between 0% and 100%");
		}
		return value.movePointLeft(2).doubleValue();
	}

	private static double ratio(String text) {
		double value;
		try {
			value = Double.parseDouble(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("must be a number such as 1.5 (the target's p99 over legacy's)");
		}
		if (!(value >= 1.0) || Double.isInfinite(value)) {
			throw new IllegalArgumentException("must be at least 1.0 (the target's p99 over legacy's)");
		}
		return value;
	}

	private static Progression.OnFailure onFailure(String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "rollback" -> Progression.OnFailure.ROLLBACK;
			case "pause" -> Progression.OnFailure.PAUSE;
			default -> throw new IllegalArgumentException("must be rollback or pause");
		};
	}

}
