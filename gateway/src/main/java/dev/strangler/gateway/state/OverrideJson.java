package dev.strangler.gateway.state;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;

/**
 * Reads and writes overrides as JSON objects, strictly: a wrong type, an unknown field or
 * an out-of-range value is reported with its JSON path rather than guessed at.
 */
final class OverrideJson {

	/**
	 * Strict mapper: duplicate keys and trailing content are errors; decimals stay exact.
	 */
	static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
		.build();

	private static final Set<String> FIELDS = Set.of("stage", "percent", "who", "when", "reason");

	private OverrideJson() {
	}

	static ObjectNode write(RouteOverride override) {
		ObjectNode node = MAPPER.createObjectNode();
		override.stage().ifPresent((stage) -> node.put("stage", stage.value()));
		override.percent().ifPresent((percent) -> node.put("percent", percent.value()));
		node.put("who", override.who());
		node.put("when", override.when().toString());
		node.put("reason", override.reason());
		return node;
	}

	static RouteOverride read(String routeId, JsonNode node, String path) throws InvalidJsonException {
		requireObject(node, path, FIELDS);
		Optional<Stage> stage = Optional.empty();
		if (node.hasNonNull("stage")) {
			stage = Optional.of(stage(node.get("stage"), path + ".stage"));
		}
		Optional<Percent> percent = Optional.empty();
		if (node.hasNonNull("percent")) {
			percent = Optional.of(percent(node.get("percent"), path + ".percent"));
		}
		String who = text(node, "who", path);
		Instant when = instant(node, "when", path);
		String reason = text(node, "reason", path);
		if (stage.isEmpty() && percent.isEmpty()) {
			throw new InvalidJsonException(path + " sets neither stage nor percent");
		}
		try {
			return new RouteOverride(routeId, stage, percent, who, when, reason);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJsonException(path + ": " + ex.getMessage());
		}
	}

	static void requireObject(JsonNode node, String path, Set<String> fields) throws InvalidJsonException {
		if (node == null || !node.isObject()) {
			throw new InvalidJsonException(path + " must be an object (was " + describe(node) + ")");
		}
		for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
			String name = names.next();
			if (!fields.contains(name)) {
				throw new InvalidJsonException(path + "." + name + " is not a known field (known: "
						+ String.join(", ", fields.stream().sorted().toList()) + ")");
			}
		}
	}

	static String text(JsonNode parent, String field, String path) throws InvalidJsonException {
		JsonNode node = parent.get(field);
		if (node == null || !node.isTextual()) {
			throw new InvalidJsonException(path + "." + field + " must be a string (was " + describe(node) + ")");
		}
		return node.textValue();
	}

	static Instant instant(JsonNode parent, String field, String path) throws InvalidJsonException {
		String text = text(parent, field, path);
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidJsonException(path + "." + field
					+ " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z (was \"" + text + "\")");
		}
	}

	static String describe(JsonNode node) {
		if (node == null || node.isMissingNode()) {
			return "missing";
		}
		String text = node.toString();
		return (text.length() > 60) ? text.substring(0, 60) + "…" : text;
	}

	private static Stage stage(JsonNode node, String path) throws InvalidJsonException {
		if (!node.isTextual()) {
			throw new InvalidJsonException(path + " must be a string (was " + describe(node) + ")");
		}
		try {
			return Stage.parse(node.textValue());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJsonException(path + " " + ex.getMessage() + " (was " + describe(node) + ")");
		}
	}

	private static Percent percent(JsonNode node, String path) throws InvalidJsonException {
		if (!node.isNumber()) {
			throw new InvalidJsonException(path + " must be a number (was " + describe(node) + ")");
		}
		try {
			return new Percent(node.decimalValue());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJsonException(path + " " + ex.getMessage() + " (was " + describe(node) + ")");
		}
	}

	/**
	 * A JSON document that does not have the expected shape.
	 */
	static final class InvalidJsonException extends Exception {

		InvalidJsonException(String message) {
			super(message);
		}

	}

}
