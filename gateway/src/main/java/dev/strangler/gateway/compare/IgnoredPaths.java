package dev.strangler.gateway.compare;

import java.util.HashMap;
import java.util.Map;

/**
 * The concrete locations of one JSON document that the ignore rules match, as a tree
 * walked in step with the document: looking up a child costs one map lookup, and a
 * subtree with nothing ignored below it costs nothing.
 */
final class IgnoredPaths {

	/** Nothing ignored here or below. */
	static final IgnoredPaths NONE = new IgnoredPaths();

	private Map<Object, IgnoredPaths> children;

	private boolean ignored;

	private IgnoredPaths() {
	}

	static IgnoredPaths root() {
		return new IgnoredPaths();
	}

	/**
	 * Whether the location itself is ignored (and so everything below it).
	 * @return {@code true} if ignored
	 */
	boolean ignored() {
		return this.ignored;
	}

	/**
	 * The ignored locations below a field.
	 * @param name the field name
	 * @return its ignored locations, {@link #NONE} if none
	 */
	IgnoredPaths field(String name) {
		return child(name);
	}

	/**
	 * The ignored locations below an array element.
	 * @param index the element index
	 * @return its ignored locations, {@link #NONE} if none
	 */
	IgnoredPaths element(int index) {
		return child(index);
	}

	private IgnoredPaths child(Object key) {
		if (this.children == null) {
			return NONE;
		}
		return this.children.getOrDefault(key, NONE);
	}

	/**
	 * Adds a location given as its field names and element indexes from the root.
	 * @param keys the location's field names ({@link String}) and indexes
	 * ({@link Integer})
	 */
	void add(Iterable<Object> keys) {
		IgnoredPaths node = this;
		for (Object key : keys) {
			if (node.children == null) {
				node.children = new HashMap<>();
			}
			node = node.children.computeIfAbsent(key, (k) -> new IgnoredPaths());
		}
		node.ignored = true;
	}

	/**
	 * Adds a location given in Jayway's normalized form,
	 * {@code $['content'][3]['price']}.
	 * @param normalizedPath the path
	 * @return {@code false} if the path could not be read
	 */
	boolean add(String normalizedPath) {
		if (this == NONE || !normalizedPath.startsWith("$")) {
			return false;
		}
		IgnoredPaths node = this;
		int at = 1;
		int length = normalizedPath.length();
		while (at < length) {
			if (normalizedPath.charAt(at) != '[' || at + 1 >= length) {
				return false;
			}
			Object key;
			if (normalizedPath.charAt(at + 1) == '\'') {
				StringBuilder name = new StringBuilder();
				int i = at + 2;
				while (i < length && normalizedPath.charAt(i) != '\'') {
					char c = normalizedPath.charAt(i);
					if (c == '\\' && i + 1 < length) {
						c = normalizedPath.charAt(++i);
					}
					name.append(c);
					i++;
				}
				if (i + 1 >= length || normalizedPath.charAt(i + 1) != ']') {
					return false;
				}
				key = name.toString();
				at = i + 2;
			}
			else {
				int close = normalizedPath.indexOf(']', at);
				if (close < 0) {
					return false;
				}
				try {
					key = Integer.parseInt(normalizedPath.substring(at + 1, close));
				}
				catch (NumberFormatException ex) {
					return false;
				}
				at = close + 1;
			}
			if (node.children == null) {
				node.children = new HashMap<>();
			}
			node = node.children.computeIfAbsent(key, (k) -> new IgnoredPaths());
		}
		node.ignored = true;
		return true;
	}

}
