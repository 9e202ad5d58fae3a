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

	/** Headers every comparison reads, whatever the route's rules: they decide how. */
	private static final List<String> ALWAYS = List.of("Content-Type", "Content-Encoding");

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
