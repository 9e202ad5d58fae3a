package dev.strangler.gateway.route;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.core.env.PropertyResolver;

/**
 * Reads typed values out of one route's YAML tree, recording a {@link RouteError} for
 * each problem instead of stopping at the first, so a user sees every mistake at once.
 */
final class NodeReader {

	private final String file;

	private final String route;

	private final List<RouteError> errors;

	private final PropertyResolver placeholders;

	NodeReader(String file, String route, List<RouteError> errors, PropertyResolver placeholders) {
		this.file = file;
		this.route = route;
		this.errors = errors;
		this.placeholders = placeholders;
	}

	/**
	 * A reader for the same file, reporting under another route label.
	 */
	NodeReader forRoute(String route) {
		return new NodeReader(this.file, route, this.errors, this.placeholders);
	}

	void error(String field, String message, String was) {
		this.errors.add(new RouteError(this.file, this.route, field, message, was));
	}

	/**
	 * Records an error for every key of a mapping that is not among the allowed ones.
	 */
	void rejectUnknownKeys(JsonNode mapping, String path, Set<String> allowed) {
		Iterator<String> names = mapping.fieldNames();
		while (names.hasNext()) {
			String name = names.next();
			if (!allowed.contains(name)) {
				error(field(path, name), "unknown key, expected one of " + String.join(", ", new TreeSet<>(allowed)),
						null);
			}
		}
	}

	/**
	 * A nested mapping, absent when missing or null; an error if it is something else.
	 */
	Optional<JsonNode> mapping(JsonNode parent, String path, String key) {
		JsonNode node = parent.get(key);
		if (isAbsent(node)) {
			return Optional.empty();
		}
		if (!node.isObject()) {
			error(field(path, key), "must be a mapping", describe(node));
			return Optional.empty();
		}
		return Optional.of(node);
	}

	/**
	 * A scalar value parsed by {@code parser}, which signals a bad value with an
	 * {@link IllegalArgumentException} whose message becomes the error message.
	 * Placeholders in text values are resolved first.
	 */
	<T> Optional<T> value(JsonNode parent, String path, String key, Function<String, T> parser) {
		return parse(parent.get(key), field(path, key), parser);
	}

	/**
	 * A list of scalars, each parsed by {@code parser}; a bad element is reported with
	 * its index and left out.
	 */
	<T> Optional<List<T>> list(JsonNode parent, String path, String key, Function<String, T> parser) {
		JsonNode node = parent.get(key);
		String field = field(path, key);
		if (isAbsent(node)) {
			return Optional.empty();
		}
		if (!node.isArray()) {
			error(field, "must be a list", describe(node));
			return Optional.empty();
		}
		List<T> values = new ArrayList<>();
		for (int i = 0; i < node.size(); i++) {
			parse(node.get(i), field + "[" + i + "]", parser).ifPresent(values::add);
		}
		return Optional.of(values);
	}

	private <T> Optional<T> parse(JsonNode node, String field, Function<String, T> parser) {
		if (isAbsent(node)) {
			return Optional.empty();
		}
		if (!node.isValueNode()) {
			error(field, "must be a single value", describe(node));
			return Optional.empty();
		}
		String raw = node.asText();
		String text;
		try {
			text = node.isTextual() ? this.placeholders.resolveRequiredPlaceholders(raw) : raw;
		}
		catch (IllegalArgumentException ex) {
			error(field, "has a placeholder that cannot be resolved; set it in the environment "
					+ "or give a default as in ${NAME:default}", raw);
			return Optional.empty();
		}
		try {
			return Optional.of(parser.apply(text));
		}
		catch (IllegalArgumentException ex) {
			error(field, ex.getMessage(), text);
			return Optional.empty();
		}
	}

	static String field(String path, String key) {
		return path.isEmpty() ? key : path + "." + key;
	}

	private static boolean isAbsent(JsonNode node) {
		return node == null || node.isNull() || node.isMissingNode();
	}

	private static String describe(JsonNode node) {
		if (node.isArray()) {
			return "a list";
		}
		if (node.isObject()) {
			return "a mapping";
		}
		return node.asText();
	}

}
