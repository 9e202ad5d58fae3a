package dev.strangler.gateway.compare;

/**
 * A location in a JSON document, built while walking it and turned into text only when a
 * difference is reported: {@code $.content[3].price}, with bracket notation
 * ({@code $['odd key']}) for names that are not plain identifiers. Both forms are valid
 * JSONPath, so a reported path can be pasted into an {@code ignore} rule. Public so that
 * a view of a body can name its parts exactly as differences name them.
 */
public final class Location {

	/** The document itself, {@code $}. */
	public static final Location ROOT = new Location(null, null, -1);

	private final Location parent;

	private final String field;

	private final int index;

	private Location(Location parent, String field, int index) {
		this.parent = parent;
		this.field = field;
		this.index = index;
	}

	/**
	 * A field of this location.
	 * @param name the field name
	 * @return its location
	 */
	public Location field(String name) {
		return new Location(this, name, -1);
	}

	/**
	 * An element of this location, an array.
	 * @param index the element's index
	 * @return its location
	 */
	public Location element(int index) {
		return new Location(this, null, index);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		append(text);
		return text.toString();
	}

	private void append(StringBuilder text) {
		if (this.parent == null) {
			text.append('$');
			return;
		}
		this.parent.append(text);
		if (this.field == null) {
			text.append('[').append(this.index).append(']');
		}
		else if (isIdentifier(this.field)) {
			text.append('.').append(this.field);
		}
		else {
			text.append("['").append(this.field.replace("\\", "\\\\").replace("'", "\\'")).append("']");
		}
	}

	private static boolean isIdentifier(String name) {
		if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
			return false;
		}
		for (int i = 1; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
				return false;
			}
		}
		return true;
	}

}
