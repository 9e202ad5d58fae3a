package dev.strangler.e2e;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strangler.gateway.compare.CapturedResponse;
import dev.strangler.gateway.compare.CompareRules;
import dev.strangler.gateway.compare.Comparison;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.route.Route.ArrayOrder;

/**
 * Compares two JSON bodies with the gateway's own comparison engine
 * ({@link ResponseComparator}), so a parity rule means the same in these tests as in
 * shadow traffic: object field order is free, arrays keep their order, numbers compare by
 * value, and the named top-level fields are ignored (as {@code $.<field>} ignore rules),
 * which is how {@code $.generatedAt} and similar per-response noise is set aside. Bodies
 * that are not JSON are compared as text.
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

	private static final ResponseComparator COMPARATOR = new ResponseComparator();

	private static final Map<String, List<String>> JSON_HEADERS = Map.of("Content-Type", List.of("application/json"));

	private final CompareRules rules;

	private JsonComparison(CompareRules rules) {
		this.rules = rules;
	}

	static JsonComparison ignoring(String... topLevelFields) {
		List<String> ignore = Arrays.stream(topLevelFields).map((field) -> "$." + field).toList();
		return new JsonComparison(new CompareRules(ignore, List.of(), ArrayOrder.STRICT, BigDecimal.ZERO));
	}

	/**
	 * The first difference between the bodies, as {@code path: expected vs actual}, or
	 * empty when they agree.
	 */
	Optional<String> difference(byte[] expected, byte[] actual) {
		Comparison comparison = COMPARATOR.compare(this.rules, CapturedResponse.of(200, JSON_HEADERS, expected),
				CapturedResponse.of(200, JSON_HEADERS, actual));
		return comparison.differences()
			.stream()
			.findFirst()
			.map((difference) -> difference.path() + ": " + difference.legacyValue() + " vs "
					+ difference.targetValue());
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

}
