package dev.strangler.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Compares two JSON bodies structurally: object field order is free, everything else is
 * strict, numbers included ({@code 165.00} differs from {@code 165.0}, because clients
 * may print what they get). Named top-level fields are ignored, which is how
 * {@code $.generatedAt} and similar per-response noise is set aside. Bodies that are not
 * JSON are compared byte for byte.
 *
 * <pre>{@code
 * Optional<String> difference = JsonComparison.ignoring("generatedAt").difference(expected, actual);
 * assertThat(difference).isEmpty();
 * }</pre>
 */
final class JsonComparison {

	private static final ObjectMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
		.build();

	private final Set<String> ignoredTopLevelFields;

	private JsonComparison(Set<String> ignoredTopLevelFields) {
		this.ignoredTopLevelFields = Set.copyOf(ignoredTopLevelFields);
	}

	static JsonComparison ignoring(String... topLevelFields) {
		return new JsonComparison(Set.of(topLevelFields));
	}

	/**
	 * The first difference between the bodies, as {@code path: expected vs actual}, or
	 * empty when they agree.
	 */
	Optional<String> difference(byte[] expected, byte[] actual) {
		JsonNode expectedJson = parse(expected);
		JsonNode actualJson = parse(actual);
		if (expectedJson == null || actualJson == null) {
			return Arrays.equals(expected, actual) ? Optional.empty() : Optional
				.of("bodies differ (not both JSON): " + abbreviate(expected) + " vs " + abbreviate(actual));
		}
		return difference("$", withoutIgnored(expectedJson), withoutIgnored(actualJson));
	}

	/**
	 * Parses a body as a JSON tree with exact decimals; {@code null} if it is not JSON.
	 */
	static JsonNode parse(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return JSON.readTree(body);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private JsonNode withoutIgnored(JsonNode node) {
		if (!node.isObject() || this.ignoredTopLevelFields.isEmpty()) {
			return node;
		}
		JsonNode copy = node.deepCopy();
		((ObjectNode) copy).remove(this.ignoredTopLevelFields);
		return copy;
	}

	private static Optional<String> difference(String path, JsonNode expected, JsonNode actual) {
		if (expected.getNodeType() != actual.getNodeType()) {
			return Optional.of(path + ": " + expected + " vs " + actual);
		}
		if (expected.isObject()) {
			Set<String> names = new TreeSet<>();
			expected.fieldNames().forEachRemaining(names::add);
			actual.fieldNames().forEachRemaining(names::add);
			for (String name : names) {
				String child = path + "." + name;
				if (!expected.has(name) || !actual.has(name)) {
					return Optional.of(child + ": " + (expected.has(name) ? expected.get(name) : "(absent)") + " vs "
							+ (actual.has(name) ? actual.get(name) : "(absent)"));
				}
				Optional<String> difference = difference(child, expected.get(name), actual.get(name));
				if (difference.isPresent()) {
					return difference;
				}
			}
			return Optional.empty();
		}
		if (expected.isArray()) {
			if (expected.size() != actual.size()) {
				return Optional.of(path + ": " + expected.size() + " elements vs " + actual.size());
			}
			Iterator<JsonNode> actualElements = actual.elements();
			int index = 0;
			for (JsonNode expectedElement : expected) {
				Optional<String> difference = difference(path + "[" + index++ + "]", expectedElement,
						actualElements.next());
				if (difference.isPresent()) {
					return difference;
				}
			}
			return Optional.empty();
		}
		// Scalars compare by their JSON text: exact decimals keep 165.00 apart from
		// 165.0.
		return expected.toString().equals(actual.toString()) ? Optional.empty()
				: Optional.of(path + ": " + expected + " vs " + actual);
	}

	private static String abbreviate(byte[] body) {
		String text = new String(body, StandardCharsets.UTF_8);
		return "'" + ((text.length() > 200) ? text.substring(0, 200) + "…" : text) + "'";
	}

}
