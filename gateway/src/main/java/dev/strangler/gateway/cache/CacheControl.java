package dev.strangler.gateway.cache;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The directives of the {@code Cache-Control} header lines of a request or a response
 * (RFC 9111 §5.2), as far as a shared cache needs them.
 *
 * <pre>{@code
 * CacheControl cc = CacheControl.parse(headers.getOrEmpty(HttpHeaders.CACHE_CONTROL));
 * if (cc.noStore() || cc.isPrivate()) { ... }
 * Optional<Duration> lifetime = cc.sMaxAge().or(cc::maxAge);
 * }</pre>
 *
 * Several header lines are one list (RFC 9110 §5.3), directive names are
 * case-insensitive, values may be tokens or quoted strings (which may contain commas).
 * Unknown directives are ignored. When {@code max-age} or {@code s-maxage} appears twice,
 * the first occurrence counts; a value that is not a non-negative integer makes the
 * response stale (RFC 9111 §4.2.1 encourages exactly that), and values above 2^31 are
 * capped (RFC 9111 §1.2.2). A qualified {@code private="…"} or {@code no-cache="…"} is
 * treated like its unqualified form: stricter, and allowed by RFC 9111 §5.2.2.
 */
final class CacheControl {

	static final CacheControl NONE = new CacheControl(null, null, false, false, false, false);

	/** RFC 9111 §1.2.2: delta-seconds above this are to be read as this value. */
	private static final long MAX_DELTA_SECONDS = 2147483648L;

	private final Duration maxAge;

	private final Duration sMaxAge;

	private final boolean noStore;

	private final boolean noCache;

	private final boolean isPrivate;

	private final boolean isPublic;

	private CacheControl(Duration maxAge, Duration sMaxAge, boolean noStore, boolean noCache, boolean isPrivate,
			boolean isPublic) {
		this.maxAge = maxAge;
		this.sMaxAge = sMaxAge;
		this.noStore = noStore;
		this.noCache = noCache;
		this.isPrivate = isPrivate;
		this.isPublic = isPublic;
	}

	/**
	 * Parses every {@code Cache-Control} line of one message.
	 * @param headerLines the field lines, in order; empty when the header is absent
	 * @return the directives; {@link #NONE} for no lines
	 */
	static CacheControl parse(List<String> headerLines) {
		if (headerLines == null || headerLines.isEmpty()) {
			return NONE;
		}
		Parser parser = new Parser();
		for (String line : headerLines) {
			if (line != null) {
				parser.parseLine(line);
			}
		}
		return new CacheControl(parser.maxAge, parser.sMaxAge, parser.noStore, parser.noCache, parser.isPrivate,
				parser.isPublic);
	}

	Optional<Duration> maxAge() {
		return Optional.ofNullable(this.maxAge);
	}

	Optional<Duration> sMaxAge() {
		return Optional.ofNullable(this.sMaxAge);
	}

	boolean noStore() {
		return this.noStore;
	}

	boolean noCache() {
		return this.noCache;
	}

	boolean isPrivate() {
		return this.isPrivate;
	}

	boolean isPublic() {
		return this.isPublic;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("CacheControl[");
		if (this.maxAge != null) {
			text.append(" max-age=").append(this.maxAge.toSeconds());
		}
		if (this.sMaxAge != null) {
			text.append(" s-maxage=").append(this.sMaxAge.toSeconds());
		}
		text.append(this.noStore ? " no-store" : "")
			.append(this.noCache ? " no-cache" : "")
			.append(this.isPrivate ? " private" : "")
			.append(this.isPublic ? " public" : "");
		return text.append(" ]").toString();
	}

	/**
	 * A small hand-written scanner: the grammar is tiny, and a regex cannot skip commas
	 * in quotes.
	 */
	private static final class Parser {

		Duration maxAge;

		Duration sMaxAge;

		boolean noStore;

		boolean noCache;

		boolean isPrivate;

		boolean isPublic;

		private boolean maxAgeSeen;

		private boolean sMaxAgeSeen;

		void parseLine(String line) {
			int length = line.length();
			int position = 0;
			while (position < length) {
				position = skip(line, position, " \t,");
				int nameStart = position;
				while (position < length && "=, \t".indexOf(line.charAt(position)) < 0) {
					position++;
				}
				String name = line.substring(nameStart, position).toLowerCase(Locale.ROOT);
				position = skip(line, position, " \t");
				String value = null;
				if (position < length && line.charAt(position) == '=') {
					position = skip(line, position + 1, " \t");
					StringBuilder valueText = new StringBuilder();
					if (position < length && line.charAt(position) == '"') {
						position++;
						while (position < length && line.charAt(position) != '"') {
							char character = line.charAt(position);
							if (character == '\\' && position + 1 < length) {
								position++;
								character = line.charAt(position);
							}
							valueText.append(character);
							position++;
						}
						position++; // the closing quote, if any
					}
					else {
						while (position < length && ", \t".indexOf(line.charAt(position)) < 0) {
							valueText.append(line.charAt(position));
							position++;
						}
					}
					value = valueText.toString();
				}
				// anything up to the next comma is garbage, skipped
				while (position < length && line.charAt(position) != ',') {
					position++;
				}
				if (!name.isEmpty()) {
					apply(name, value);
				}
			}
		}

		private void apply(String name, String value) {
			switch (name) {
				case "max-age" -> {
					if (!this.maxAgeSeen) {
						this.maxAgeSeen = true;
						this.maxAge = deltaSeconds(value);
					}
				}
				case "s-maxage" -> {
					if (!this.sMaxAgeSeen) {
						this.sMaxAgeSeen = true;
						this.sMaxAge = deltaSeconds(value);
					}
				}
				case "no-store" -> this.noStore = true;
				case "no-cache" -> this.noCache = true;
				case "private" -> this.isPrivate = true;
				case "public" -> this.isPublic = true;
				default -> {
					// other directives (must-revalidate, immutable, …) do not change what
					// we store
				}
			}
		}

		/** Invalid freshness information means stale (RFC 9111 §4.2.1). */
		private static Duration deltaSeconds(String value) {
			if (value == null || value.isEmpty()) {
				return Duration.ZERO;
			}
			for (int i = 0; i < value.length(); i++) {
				if (value.charAt(i) < '0' || value.charAt(i) > '9') {
					return Duration.ZERO;
				}
			}
			if (value.length() > 10) {
				return Duration.ofSeconds(MAX_DELTA_SECONDS);
			}
			return Duration.ofSeconds(Math.min(Long.parseLong(value), MAX_DELTA_SECONDS));
		}

		private static int skip(String line, int position, String characters) {
			while (position < line.length() && characters.indexOf(line.charAt(position)) >= 0) {
				position++;
			}
			return position;
		}

	}

}
