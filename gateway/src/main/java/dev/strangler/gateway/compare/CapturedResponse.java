package dev.strangler.gateway.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One backend's response as captured for comparison: status, headers and the (possibly
 * encoded) body bytes, at most the capture limit of them.
 *
 * <p>
 * Headers are copied into a case-insensitive map, so {@code header("content-type")} finds
 * {@code Content-Type}. The body array is not copied (bodies can be large); callers hand
 * over an array they no longer change.
 *
 * @param status the HTTP status code
 * @param headers the response headers, looked up case-insensitively
 * @param body the body bytes as received (still content-encoded), never {@code null}
 * @param truncated whether the body was bigger than the capture limit, so {@code body} is
 * only its beginning
 */
public record CapturedResponse(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {

	private static final byte[] NO_BODY = new byte[0];

	public CapturedResponse {
		TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		if (headers != null) {
			headers.forEach((name, values) -> {
				if (name != null && values != null) {
					copy.computeIfAbsent(name, (key) -> new ArrayList<>()).addAll(values);
				}
			});
		}
		copy.replaceAll((name, values) -> List.copyOf(values));
		headers = Collections.unmodifiableMap(copy);
		body = (body != null) ? body : NO_BODY;
	}

	/**
	 * A complete (not truncated) response.
	 * @param status the status code
	 * @param headers the headers
	 * @param body the body bytes
	 * @return the captured response
	 */
	public static CapturedResponse of(int status, Map<String, List<String>> headers, byte[] body) {
		return new CapturedResponse(status, headers, body, false);
	}

	/**
	 * The values of a header, by case-insensitive name.
	 * @param name the header name
	 * @return its values, empty if absent
	 */
	public List<String> header(String name) {
		return this.headers.getOrDefault(name, List.of());
	}

	/**
	 * The first value of a header, by case-insensitive name.
	 * @param name the header name
	 * @return the first value, if any
	 */
	public Optional<String> firstHeader(String name) {
		List<String> values = header(name);
		return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
	}

	// Never prints header values or the body: they may hold credentials or personal data.
	@Override
	public String toString() {
		return "CapturedResponse[status=" + this.status + ", headers=" + this.headers.keySet() + ", body="
				+ this.body.length + " bytes" + (this.truncated ? " (truncated)" : "") + "]";
	}

}
