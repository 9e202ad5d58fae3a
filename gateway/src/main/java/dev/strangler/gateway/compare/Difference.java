package dev.strangler.gateway.compare;

import java.util.Objects;

/**
 * One way in which the target's response differs from legacy's.
 *
 * @param path where: a JSON path such as {@code $.content[3].price}, {@code status},
 * {@code header:Content-Type}, or {@code $} for a whole non-JSON body
 * @param legacyValue legacy's value as JSON text (bounded, see
 * {@link #MAX_VALUE_LENGTH}), {@link #ABSENT} when legacy has none
 * @param targetValue the target's value, the same way
 * @param kind what sort of difference it is
 */
public record Difference(String path, String legacyValue, String targetValue, Kind kind) {

	/** The value shown for a field, element or header one side does not have. */
	public static final String ABSENT = "<absent>";

	/** The value shown for credentials-bearing headers. */
	public static final String REDACTED = "<redacted>";

	/** Values longer than this are cut and end with an ellipsis. */
	public static final int MAX_VALUE_LENGTH = 256;

	public Difference {
		Objects.requireNonNull(path, "path");
		legacyValue = truncate(Objects.requireNonNullElse(legacyValue, ABSENT));
		targetValue = truncate(Objects.requireNonNullElse(targetValue, ABSENT));
		kind = Objects.requireNonNullElse(kind, Kind.CHANGED);
	}

	/**
	 * A changed value.
	 * @param path where
	 * @param legacyValue legacy's value
	 * @param targetValue the target's value
	 */
	public Difference(String path, String legacyValue, String targetValue) {
		this(path, legacyValue, targetValue, Kind.CHANGED);
	}

	/**
	 * The path with array indexes replaced by wildcards, {@code $.content[3].price}
	 * becoming {@code $.content[*].price}: the same field of every element, itself a
	 * JSONPath usable as an ignore rule.
	 * @return the path template
	 */
	public String pathTemplate() {
		return template(this.path);
	}

	static String template(String path) {
		if (path.indexOf('[') < 0) {
			return path;
		}
		StringBuilder template = new StringBuilder(path.length());
		boolean quoted = false;
		int i = 0;
		while (i < path.length()) {
			char c = path.charAt(i);
			if (quoted) {
				template.append(c);
				if (c == '\\' && i + 1 < path.length()) {
					template.append(path.charAt(++i));
				}
				else if (c == '\'') {
					quoted = false;
				}
				i++;
			}
			else if (c == '[' && i + 1 < path.length() && Character.isDigit(path.charAt(i + 1))) {
				int close = path.indexOf(']', i);
				template.append("[*]");
				i = (close < 0) ? path.length() : close + 1;
			}
			else {
				quoted = (c == '\'');
				template.append(c);
				i++;
			}
		}
		return template.toString();
	}

	static String truncate(String value) {
		if (value.length() <= MAX_VALUE_LENGTH) {
			return value;
		}
		return value.substring(0, MAX_VALUE_LENGTH - 1) + "…";
	}

	/**
	 * What sort of difference.
	 */
	public enum Kind {

		/** The status codes differ. */
		STATUS,
		/** A compared header differs or is missing on one side. */
		HEADER,
		/** Legacy has the field or element, the target does not. */
		MISSING,
		/** The target has a field or element legacy does not. */
		EXTRA,
		/** Same JSON type, different value. */
		CHANGED,
		/** Different JSON types, e.g. a number in legacy and a string in the target. */
		TYPE,
		/** Arrays of different lengths; the values are the lengths. */
		ARRAY_LENGTH,
		/** Whole non-JSON bodies (text or bytes) differ. */
		BODY,
		/** Stands for differences left out because a comparison found too many. */
		OMITTED

	}

}
