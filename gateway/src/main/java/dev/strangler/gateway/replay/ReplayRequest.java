package dev.strangler.gateway.replay;

import java.util.List;
import java.util.Map;

import org.springframework.lang.Nullable;

/**
 * One request to send to both backends.
 *
 * @param method the HTTP method
 * @param pathAndQuery the raw path with its query string
 * @param headers request headers to send
 * @param body the request body, empty for none
 * @param recordedSha256 SHA-256 of the body the client got when it was recorded, if known
 */
record ReplayRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body,
		@Nullable String recordedSha256) {

	ReplayRequest {
		headers = Map.copyOf(headers);
	}

	static ReplayRequest get(String pathAndQuery) {
		return new ReplayRequest("GET", pathAndQuery, Map.of(), new byte[0], null);
	}

	boolean safe() {
		return this.method.equals("GET") || this.method.equals("HEAD");
	}

	@Override
	public String toString() {
		return this.method + " " + this.pathAndQuery;
	}

}
