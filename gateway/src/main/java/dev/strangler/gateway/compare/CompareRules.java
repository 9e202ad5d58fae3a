package dev.strangler.gateway.compare;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;

import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Route.ArrayOrder;

/**
 * How two responses are compared: a route's {@code compare} block as plain values.
 *
 * <pre class="code">
 * CompareRules rules = new CompareRules(List.of("$.generatedAt", "$..etag"), List.of("Content-Type"),
 * 		ArrayOrder.STRICT, new BigDecimal("0.01"));
 * </pre>
 *
 * @param ignore JSONPath expressions whose matches never count as differences
 * @param headers response header names that must match (case-insensitive)
 * @param arrayOrder whether JSON array order counts
 * @param numericTolerance absolute tolerance for JSON numbers, zero or more
 */
public record CompareRules(List<String> ignore, List<String> headers, ArrayOrder arrayOrder,
		BigDecimal numericTolerance) {

	/** Nothing ignored, no headers, strict array order, exact numbers. */
	public static final CompareRules DEFAULT = new CompareRules(List.of(), List.of(), ArrayOrder.STRICT,
			BigDecimal.ZERO);

	public CompareRules {
		ignore = List.copyOf(Objects.requireNonNullElse(ignore, List.of()));
		headers = List.copyOf(Objects.requireNonNullElse(headers, List.of()));
		arrayOrder = Objects.requireNonNullElse(arrayOrder, ArrayOrder.STRICT);
		numericTolerance = Objects.requireNonNullElse(numericTolerance, BigDecimal.ZERO);
		if (numericTolerance.signum() < 0) {
			throw new IllegalArgumentException("numericTolerance must be zero or more but was " + numericTolerance);
		}
		for (String path : ignore) {
			try {
				JsonPath.compile(path);
			}
			catch (InvalidPathException | IllegalArgumentException ex) {
				throw new IllegalArgumentException("ignore must hold JSONPath expressions but was '" + path + "'", ex);
			}
		}
	}

	/**
	 * The rules of a route's {@code compare} block.
	 * @param compare the route's compare settings
	 * @return the rules
	 */
	public static CompareRules from(Route.Compare compare) {
		return new CompareRules(compare.ignore().stream().map(JsonPath::getPath).toList(), compare.headers(),
				compare.arrayOrder(), compare.numericTolerance());
	}

}
