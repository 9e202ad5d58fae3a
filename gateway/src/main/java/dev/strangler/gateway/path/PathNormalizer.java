package dev.strangler.gateway.path;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a raw (still percent-encoded) request path into the one path every backend will
 * act on, or refuses it: runs of {@code /} merged, {@code .} and {@code ..} segments
 * resolved (RFC 3986 §5.2.4); encoded dots, slashes and backslashes (overlong UTF-8
 * spellings included), an encoded NUL, raw backslashes and {@code ;} path parameters
 * refused, since backends disagree on what they mean.
 *
 * <pre>{@code
 * PathNormalizer.normalize("/api/products/../orders/1"); // "/api/orders/1"
 * PathNormalizer.normalize("/api/products/..%2Forders"); // UnsafePathException
 * }</pre>
 *
 * <p>
 * The same rules as nginx ({@code merge_slashes on}, dot segments resolved, a climb above
 * the root refused) and Envoy ({@code normalize_path}, {@code merge_slashes},
 * {@code path_with_escaped_slashes_action: REJECT_REQUEST}), plus encoded dots and path
 * parameters refused: {@code %2e%2e} and {@code ..;} are {@code ..} to some servlet
 * containers and not to others, so no single reading of them is safe.
 */
final class PathNormalizer {

	private PathNormalizer() {
	}

	/**
	 * Normalizes a raw path.
	 * @param rawPath the path as the client sent it, percent-encoded
	 * @return the normalized path, the same instance when it was already normal
	 * @throws UnsafePathException when the path cannot be normalized safely
	 */
	static String normalize(String rawPath) {
		refuseUnsafe(rawPath);
		if (rawPath.isEmpty() || !needsWork(rawPath)) {
			return rawPath;
		}
		List<String> segments = new ArrayList<>();
		int start = 1;
		boolean trailingSlash = false;
		while (start <= rawPath.length()) {
			int end = rawPath.indexOf('/', start);
			if (end < 0) {
				end = rawPath.length();
			}
			String segment = rawPath.substring(start, end);
			boolean last = end == rawPath.length();
			if (segment.equals("..")) {
				if (segments.isEmpty()) {
					throw new UnsafePathException("The path climbs above the root with '..'");
				}
				segments.remove(segments.size() - 1);
				trailingSlash = true;
			}
			else if (segment.equals(".") || segment.isEmpty()) {
				// An empty segment is a merged slash, except the last one: "/a/" keeps
				// its trailing slash.
				trailingSlash = trailingSlash || segment.equals(".") || last;
			}
			else {
				segments.add(segment);
				trailingSlash = false;
			}
			start = end + 1;
		}
		StringBuilder normalized = new StringBuilder(rawPath.length());
		for (String segment : segments) {
			normalized.append('/').append(segment);
		}
		if (trailingSlash || segments.isEmpty()) {
			normalized.append('/');
		}
		// "/.well-known" needed a look but no change: keep the caller's instance.
		return normalized.toString().equals(rawPath) ? rawPath : normalized.toString();
	}

	/** One pass over the characters: what no normalization can make safe. */
	private static void refuseUnsafe(String rawPath) {
		if (!rawPath.isEmpty() && rawPath.charAt(0) != '/') {
			throw new UnsafePathException("The path must start with '/'");
		}
		for (int i = 0; i < rawPath.length(); i++) {
			char c = rawPath.charAt(i);
			if (c == ';') {
				throw new UnsafePathException("The path holds a ';' path parameter");
			}
			if (c == '\\') {
				throw new UnsafePathException("The path holds a backslash");
			}
			if (c == '%' && i + 2 < rawPath.length()) {
				char high = rawPath.charAt(i + 1);
				char low = Character.toUpperCase(rawPath.charAt(i + 2));
				if (high == '2' && low == 'E') {
					throw new UnsafePathException("The path holds an encoded dot (%2E)");
				}
				if ((high == '2' && low == 'F') || (high == '5' && low == 'C')) {
					throw new UnsafePathException("The path holds an encoded slash or backslash (%2F, %5C)");
				}
				if (high == '0' && low == '0') {
					throw new UnsafePathException("The path holds an encoded NUL (%00)");
				}
				if (overlongUtf8At(rawPath, i)) {
					throw new UnsafePathException("The path holds an overlong UTF-8 encoding (such as %C0%AE)");
				}
			}
		}
	}

	/**
	 * Whether the percent-encoded bytes at {@code i} start an overlong UTF-8 sequence:
	 * invalid UTF-8 that a lax decoder reads as an ASCII character ({@code %C0%AE} as
	 * {@code .}, {@code %C0%AF} as {@code /}), the old way past path checks. Lead byte
	 * {@code C0} or {@code C1} with any continuation byte, {@code E0} followed by
	 * {@code 80}-{@code 9F}, {@code F0} followed by {@code 80}-{@code 8F} (RFC 3629 §3).
	 */
	private static boolean overlongUtf8At(String rawPath, int i) {
		if (i + 5 >= rawPath.length() || rawPath.charAt(i + 3) != '%') {
			return false;
		}
		int lead = hexByte(rawPath, i + 1);
		int next = hexByte(rawPath, i + 4);
		if (lead < 0 || next < 0x80 || next > 0xBF) {
			return false;
		}
		return lead == 0xC0 || lead == 0xC1 || (lead == 0xE0 && next <= 0x9F) || (lead == 0xF0 && next <= 0x8F);
	}

	/** The byte two hex digits at {@code at} spell, or -1. */
	private static int hexByte(String text, int at) {
		int high = Character.digit(text.charAt(at), 16);
		int low = Character.digit(text.charAt(at + 1), 16);
		return (high < 0 || low < 0) ? -1 : (high << 4) | low;
	}

	/** Whether there is a slash run or a dot segment: most paths need no work at all. */
	private static boolean needsWork(String rawPath) {
		return rawPath.contains("//") || rawPath.contains("/.");
	}

}
