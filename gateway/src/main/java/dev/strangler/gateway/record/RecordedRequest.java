package dev.strangler.gateway.record;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.lang.Nullable;

/**
 * One line of a corpus file: a client request as the gateway received it, and what the
 * client got. The replay command reads these back.
 *
 * <pre class="code">
 * {"time":"2025-06-01T10:00:00Z","route":"catalog","method":"GET","path":"/api/products/7",
 *  "query":"currency=EUR","headers":{"Accept":["application/json"]},"status":200,
 *  "bodySha256":"9f86d0…","backend":"legacy"}
 * </pre>
 *
 * @param time when the request arrived
 * @param route the route that claimed it
 * @param method the HTTP method
 * @param path the raw (still percent-encoded) path
 * @param query the raw query string, {@code null} without one
 * @param headers the allowed request headers
 * @param body the request body as UTF-8 text, {@code null} when empty or not valid UTF-8
 * @param bodyBase64 the request body in base64 when it is not valid UTF-8
 * @param bodyTruncated whether the body was bigger than {@code strangler.record.max-body}
 * (then only its beginning is kept, and replay skips the request)
 * @param status the status the client got
 * @param bodySha256 SHA-256 (hex) of the response body the client got, {@code null} when
 * it was streamed
 * @param backend which backend served it: {@code legacy} or {@code target}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecordedRequest(Instant time, String route, String method, String path, @Nullable String query,
		Map<String, List<String>> headers, @Nullable String body, @Nullable String bodyBase64, boolean bodyTruncated,
		int status, @Nullable String bodySha256, String backend) {

	public RecordedRequest {
		headers = (headers != null) ? Map.copyOf(headers) : Map.of();
	}

	/**
	 * The path with its query string, as sent.
	 * @return for example {@code /api/products?page=2}
	 */
	public String pathAndQuery() {
		return (this.query != null && !this.query.isEmpty()) ? this.path + "?" + this.query : this.path;
	}

	// Bodies and header values may hold personal data: never in a log line.
	@Override
	public String toString() {
		return "RecordedRequest[" + this.route + " " + this.method + " " + this.path + " → " + this.status + "]";
	}

}
