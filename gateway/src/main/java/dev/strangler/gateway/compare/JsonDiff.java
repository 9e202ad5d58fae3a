package dev.strangler.gateway.compare;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import dev.strangler.gateway.compare.Difference.Kind;
import dev.strangler.gateway.route.Route.ArrayOrder;

/**
 * Structural comparison of two parsed JSON documents under a rule set: one walk over both
 * trees, skipping what either side's ignore rules match.
 *
 * <p>
 * Every method returns whether its two values are equal. With a {@code null} collector it
 * only decides and stops at the first difference (used to match array elements when order
 * does not count); with a collector it reports every difference.
 */
final class JsonDiff {

	// Pairwise matching of leftover elements is quadratic; past this many pairs the
	// leftovers are reported as they are.
	private static final int MAX_PAIRWISE_CHECKS = 4096;

	private static final int MAX_SCALE = 1000;

	private final IgnoredPaths legacyIgnored;

	private final IgnoredPaths targetIgnored;

	private final Differences differences;

	private final boolean unordered;

	private final BigDecimal tolerance;

	private final boolean exact;

	JsonDiff(CompareRules rules, IgnoredPaths legacyIgnored, IgnoredPaths targetIgnored, Differences differences) {
		this.legacyIgnored = legacyIgnored;
		this.targetIgnored = targetIgnored;
		this.differences = differences;
		this.unordered = rules.arrayOrder() == ArrayOrder.IGNORE;
		this.tolerance = rules.numericTolerance();
		this.exact = this.tolerance.signum() == 0;
	}

	boolean compare(JsonNode legacy, JsonNode target) {
		return diff(Location.ROOT, legacy, this.legacyIgnored, target, this.targetIgnored, this.differences);
	}

	private boolean diff(Location at, JsonNode legacy, IgnoredPaths legacyIgnored, JsonNode target,
			IgnoredPaths targetIgnored, Differences out) {
		if (legacyIgnored.ignored() || targetIgnored.ignored()) {
			return true;
		}
		JsonNodeType type = legacy.getNodeType();
		if (type != target.getNodeType()) {
			if (out != null) {
				out.add(at.toString(), text(legacy), text(target), Kind.TYPE);
			}
			return false;
		}
		boolean equal = switch (type) {
			case OBJECT -> objects(at, legacy, legacyIgnored, target, targetIgnored, out);
			case ARRAY -> this.unordered ? unorderedArrays(at, legacy, legacyIgnored, target, targetIgnored, out)
					: strictArrays(at, legacy, legacyIgnored, target, targetIgnored, out);
			case NUMBER -> numbersEqual(legacy, target);
			default -> legacy.equals(target);
		};
		if (!equal && out != null && type != JsonNodeType.OBJECT && type != JsonNodeType.ARRAY) {
			out.add(at.toString(), text(legacy), text(target), Kind.CHANGED);
		}
		return equal;
	}

	private boolean objects(Location at, JsonNode legacy, IgnoredPaths legacyIgnored, JsonNode target,
			IgnoredPaths targetIgnored, Differences out) {
		boolean equal = true;
		for (Iterator<Map.Entry<String, JsonNode>> fields = legacy.fields(); fields.hasNext();) {
			Map.Entry<String, JsonNode> field = fields.next();
			String name = field.getKey();
			IgnoredPaths legacyChild = legacyIgnored.field(name);
			IgnoredPaths targetChild = targetIgnored.field(name);
			if (legacyChild.ignored() || targetChild.ignored()) {
				continue;
			}
			JsonNode targetValue = target.get(name);
			if (targetValue == null) {
				if (out == null) {
					return false;
				}
				out.add(at.field(name).toString(), text(field.getValue()), Difference.ABSENT, Kind.MISSING);
				equal = false;
			}
			else if (!diff(at.field(name), field.getValue(), legacyChild, targetValue, targetChild, out)) {
				if (out == null) {
					return false;
				}
				equal = false;
			}
		}
		for (Iterator<Map.Entry<String, JsonNode>> fields = target.fields(); fields.hasNext();) {
			Map.Entry<String, JsonNode> field = fields.next();
			String name = field.getKey();
			if (legacy.has(name) || legacyIgnored.field(name).ignored() || targetIgnored.field(name).ignored()) {
				continue;
			}
			if (out == null) {
				return false;
			}
			out.add(at.field(name).toString(), Difference.ABSENT, text(field.getValue()), Kind.EXTRA);
			equal = false;
		}
		return equal;
	}

	private boolean strictArrays(Location at, JsonNode legacy, IgnoredPaths legacyIgnored, JsonNode target,
			IgnoredPaths targetIgnored, Differences out) {
		boolean equal = true;
		int common = Math.min(legacy.size(), target.size());
		for (int i = 0; i < common; i++) {
			if (!diff(at.element(i), legacy.get(i), legacyIgnored.element(i), target.get(i), targetIgnored.element(i),
					out)) {
				if (out == null) {
					return false;
				}
				equal = false;
			}
		}
		return extraElements(at, legacy, legacyIgnored, target, targetIgnored, common, out) && equal;
	}

	private boolean extraElements(Location at, JsonNode legacy, IgnoredPaths legacyIgnored, JsonNode target,
			IgnoredPaths targetIgnored, int common, Differences out) {
		List<Integer> missing = notIgnored(legacy, legacyIgnored, targetIgnored, common);
		List<Integer> extra = notIgnored(target, targetIgnored, legacyIgnored, common);
		if (missing.isEmpty() && extra.isEmpty()) {
			return true;
		}
		if (out != null) {
			out.add(at.toString(), Integer.toString(legacy.size()), Integer.toString(target.size()), Kind.ARRAY_LENGTH);
			for (int i : missing) {
				out.add(at.element(i).toString(), text(legacy.get(i)), Difference.ABSENT, Kind.MISSING);
			}
			for (int i : extra) {
				out.add(at.element(i).toString(), Difference.ABSENT, text(target.get(i)), Kind.EXTRA);
			}
		}
		return false;
	}

	private static List<Integer> notIgnored(JsonNode array, IgnoredPaths own, IgnoredPaths other, int from) {
		List<Integer> indexes = new ArrayList<>();
		for (int i = from; i < array.size(); i++) {
			if (!own.element(i).ignored() && !other.element(i).ignored()) {
				indexes.add(i);
			}
		}
		return indexes;
	}

	/**
	 * Arrays as multisets: every legacy element needs an equal target element of its own.
	 * Elements are tried at the same index first (the common case is the same order),
	 * then by a hash that agrees with equality, then pairwise. What stays unmatched is
	 * compared pairwise in order, so one changed element shows as its changed fields.
	 */
	private boolean unorderedArrays(Location at, JsonNode legacy, IgnoredPaths legacyIgnored, JsonNode target,
			IgnoredPaths targetIgnored, Differences out) {
		boolean[] used = new boolean[target.size()];
		List<Integer> legacyLeft = new ArrayList<>();
		Map<Integer, List<Integer>> buckets = null;
		for (int i = 0; i < legacy.size(); i++) {
			IgnoredPaths legacyElement = legacyIgnored.element(i);
			if (legacyElement.ignored()) {
				continue;
			}
			JsonNode element = legacy.get(i);
			if (i < target.size() && !used[i] && !targetIgnored.element(i).ignored()
					&& diff(at, element, legacyElement, target.get(i), targetIgnored.element(i), null)) {
				used[i] = true;
				continue;
			}
			if (buckets == null) {
				buckets = buckets(target, targetIgnored);
			}
			if (!matchFromBucket(buckets.get(hash(element, legacyElement)), at, element, legacyElement, target,
					targetIgnored, used)) {
				legacyLeft.add(i);
			}
		}
		List<Integer> targetLeft = new ArrayList<>();
		for (int j = 0; j < target.size(); j++) {
			if (!used[j] && !targetIgnored.element(j).ignored()) {
				targetLeft.add(j);
			}
		}
		if (legacyLeft.isEmpty() && targetLeft.isEmpty()) {
			return true;
		}
		if (out == null) {
			return false;
		}
		matchPairwise(at, legacy, legacyIgnored, target, targetIgnored, legacyLeft, targetLeft);
		if (legacyLeft.isEmpty() && targetLeft.isEmpty()) {
			return true;
		}
		int paired = Math.min(legacyLeft.size(), targetLeft.size());
		for (int k = 0; k < paired; k++) {
			int i = legacyLeft.get(k);
			int j = targetLeft.get(k);
			diff(at.element(i), legacy.get(i), legacyIgnored.element(i), target.get(j), targetIgnored.element(j), out);
		}
		if (legacyLeft.size() != targetLeft.size()) {
			out.add(at.toString(), Integer.toString(legacy.size()), Integer.toString(target.size()), Kind.ARRAY_LENGTH);
			for (int k = paired; k < legacyLeft.size(); k++) {
				int i = legacyLeft.get(k);
				out.add(at.element(i).toString(), text(legacy.get(i)), Difference.ABSENT, Kind.MISSING);
			}
			for (int k = paired; k < targetLeft.size(); k++) {
				int j = targetLeft.get(k);
				out.add(at.element(j).toString(), Difference.ABSENT, text(target.get(j)), Kind.EXTRA);
			}
		}
		return false;
	}

	private Map<Integer, List<Integer>> buckets(JsonNode target, IgnoredPaths targetIgnored) {
		Map<Integer, List<Integer>> buckets = new HashMap<>();
		for (int j = 0; j < target.size(); j++) {
			IgnoredPaths element = targetIgnored.element(j);
			if (!element.ignored()) {
				buckets.computeIfAbsent(hash(target.get(j), element), (key) -> new ArrayList<>(1)).add(j);
			}
		}
		return buckets;
	}

	private boolean matchFromBucket(List<Integer> candidates, Location at, JsonNode element,
			IgnoredPaths elementIgnored, JsonNode target, IgnoredPaths targetIgnored, boolean[] used) {
		if (candidates == null) {
			return false;
		}
		for (int j : candidates) {
			if (!used[j] && diff(at, element, elementIgnored, target.get(j), targetIgnored.element(j), null)) {
				used[j] = true;
				return true;
			}
		}
		return false;
	}

	// Hashes agree with equality when both sides ignore the same relative locations (the
	// usual wildcard and deep-scan rules); for rules that do not, this pass finds the
	// rest.
	private void matchPairwise(Location at, JsonNode legacy, IgnoredPaths legacyIgnored, JsonNode target,
			IgnoredPaths targetIgnored, List<Integer> legacyLeft, List<Integer> targetLeft) {
		if ((long) legacyLeft.size() * targetLeft.size() > MAX_PAIRWISE_CHECKS) {
			return;
		}
		for (Iterator<Integer> legacyIndexes = legacyLeft.iterator(); legacyIndexes.hasNext();) {
			int i = legacyIndexes.next();
			for (Iterator<Integer> targetIndexes = targetLeft.iterator(); targetIndexes.hasNext();) {
				int j = targetIndexes.next();
				if (diff(at, legacy.get(i), legacyIgnored.element(i), target.get(j), targetIgnored.element(j), null)) {
					legacyIndexes.remove();
					targetIndexes.remove();
					break;
				}
			}
		}
	}

	/**
	 * A hash consistent with {@link #diff} equality: object fields and (unordered) array
	 * elements are summed so order does not matter; numbers hash by value, and not at all
	 * under a tolerance.
	 */
	private int hash(JsonNode node, IgnoredPaths ignored) {
		switch (node.getNodeType()) {
			case OBJECT -> {
				int hash = 17;
				for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
					Map.Entry<String, JsonNode> field = fields.next();
					IgnoredPaths child = ignored.field(field.getKey());
					if (!child.ignored()) {
						hash += field.getKey().hashCode() ^ (31 * hash(field.getValue(), child));
					}
				}
				return hash;
			}
			case ARRAY -> {
				int hash = 19;
				for (int i = 0; i < node.size(); i++) {
					IgnoredPaths child = ignored.element(i);
					if (!child.ignored()) {
						hash += hash(node.get(i), child);
					}
				}
				return hash;
			}
			case NUMBER -> {
				return this.exact ? Double.hashCode(node.doubleValue()) : 23;
			}
			default -> {
				return node.hashCode();
			}
		}
	}

	private boolean numbersEqual(JsonNode legacy, JsonNode target) {
		if (this.exact && legacy.isIntegralNumber() && target.isIntegralNumber() && legacy.canConvertToLong()
				&& target.canConvertToLong()) {
			return legacy.longValue() == target.longValue();
		}
		BigDecimal legacyValue = legacy.decimalValue();
		BigDecimal targetValue = target.decimalValue();
		if (this.exact) {
			return legacyValue.compareTo(targetValue) == 0;
		}
		// Subtracting numbers of wildly different scales (1e999999 - 1e-999999) would
		// build a
		// number of millions of digits; such values can only be equal exactly.
		if (Math.abs(legacyValue.scale()) > MAX_SCALE || Math.abs(targetValue.scale()) > MAX_SCALE) {
			return legacyValue.compareTo(targetValue) == 0;
		}
		return legacyValue.subtract(targetValue).abs().compareTo(this.tolerance) <= 0;
	}

	private static String text(JsonNode node) {
		return node.toString();
	}

}
