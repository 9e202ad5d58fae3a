package dev.strangler.gateway.shadow;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.strangler.gateway.compare.CapturedResponse;

import org.springframework.lang.Nullable;
import org.springframework.util.LinkedCaseInsensitiveMap;

/**
 * One backend's answer as a {@link Mirror} keeps it until it is judged: status, the
 * headers the comparison reads, and the body still in the buffers it arrived in (released
 * by the mirror, however it ends).
 *
 * @param status the status code
 * @param headers the headers the comparison reads (see {@link #comparedHeaders})
 * @param body the body, {@code null} if there was none
 */
record KeptResponse(int status, Map<String, List<String>> headers, @Nullable BoundedBytes body) {

	private static final String CONTENT_ENCODING = "Content-Encoding";

	/** Headers every comparison reads, whatever the route's rules: they decide how. */
	private static final List<String> ALWAYS = List.of("Content-Type", CONTENT_ENCODING);

	/**
	 * Copies only the headers a comparison under these rules reads: the route's
	 * {@code compare.headers}, plus {@code Content-Type} and {@code Content-Encoding}.
	 * Copying every header of every mirrored answer would be work nobody looks at.
	 * @param compared the route's {@code compare.headers}
	 * @param values a header's values by name (case-insensitive), empty if absent
	 * @return the copy, looked up case-insensitively
	 */
	static Map<String, List<String>> comparedHeaders(List<String> compared, Function<String, List<String>> values) {
		Map<String, List<String>> copy = new LinkedCaseInsensitiveMap<>(ALWAYS.size() + compared.size());
		copyTo(copy, ALWAYS, values);
		copyTo(copy, compared, values);
		return copy;
	}

	private static void copyTo(Map<String, List<String>> copy, List<String> names,
			Function<String, List<String>> values) {
		for (String name : names) {
			List<String> found = values.apply(name);
			if (found != null && !found.isEmpty()) {
				copy.put(name, List.copyOf(found));
			}
		}
	}

	/**
	 * Whether this answer and another are the same bytes: the same status, the same kept
	 * headers and the same whole body of at most {@code maxBody} bytes, not
	 * content-encoded. The comparison engine would find no difference between two such
	 * answers under any rule, and this says so without copying or decoding a body.
	 * @param other the other answer
	 * @param maxBody the largest body compared here
	 * @return {@code true} only when the answers are certainly equal; {@code false} says
	 * nothing
	 */
	boolean sameBytesAs(KeptResponse other, int maxBody) {
		// an encoded body is compared decoded, and one that cannot be decoded is not
		// compared at all: the engine decides those
		return this.status == other.status && !this.headers.containsKey(CONTENT_ENCODING)
				&& this.headers.equals(other.headers) && this.body != null && other.body != null
				&& this.body.sameSmallBodyAs(other.body, maxBody);
	}

	/**
	 * The answer as the comparison engine takes it; copies the body once.
	 * @return the captured response
	 */
	CapturedResponse capture() {
		if (this.body == null) {
			return new CapturedResponse(this.status, this.headers, null, false);
		}
		return new CapturedResponse(this.status, this.headers, this.body.toByteArray(), this.body.overflowed());
	}

}
