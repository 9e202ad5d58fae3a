package dev.strangler.e2e;

import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.strangler.e2e.PhasedTraffic.ClientRequest;

/**
 * The monolith's answers to every path a test's clients ask, read from it directly before
 * the traffic starts, and the check that an answer through the gateway is that answer,
 * whoever served it: legacy's status and body ({@code generatedAt} aside), from a backend
 * the gateway names ({@code X-Strangler-Backend} {@code legacy} or {@code target}).
 *
 * <pre>{@code
 * LegacyAnswers expected = LegacyAnswers.read(legacy, paths);
 * PhasedTraffic.start(gateway, "legacy", 4, 600, plan, expected::problem);
 * }</pre>
 */
final class LegacyAnswers {

	private static final JsonComparison PARITY = JsonComparison.ignoring("generatedAt");

	private final Map<String, HttpResponse<byte[]>> answers;

	private LegacyAnswers(Map<String, HttpResponse<byte[]>> answers) {
		this.answers = answers;
	}

	/**
	 * Asks {@code legacy} each of {@code paths} once.
	 */
	static LegacyAnswers read(AppProcess legacy, Collection<String> paths) {
		Map<String, HttpResponse<byte[]>> answers = new LinkedHashMap<>();
		for (String path : paths) {
			answers.put(path, Http.get(legacy.uri(path)));
		}
		return new LegacyAnswers(Map.copyOf(answers));
	}

	/**
	 * What is wrong with {@code response} to {@code request}, or {@code null} when it is
	 * the monolith's answer (a {@link PhasedTraffic.ResponseCheck}).
	 */
	String problem(ClientRequest request, HttpResponse<byte[]> response) {
		HttpResponse<byte[]> legacy = this.answers.get(request.path());
		if (legacy == null) {
			throw new IllegalArgumentException("no legacy answer was read for " + request.path());
		}
		String backend = response.headers().firstValue("X-Strangler-Backend").orElse("none");
		if (response.statusCode() != legacy.statusCode()) {
			return request + ": status " + response.statusCode() + " from " + backend + ", legacy says "
					+ legacy.statusCode() + ": " + AdminGateway.text(response);
		}
		if (!backend.equals("legacy") && !backend.equals("target")) {
			return request + ": X-Strangler-Backend " + backend;
		}
		return PARITY.difference(legacy.body(), response.body())
			.map((difference) -> request + " from " + backend + ": " + difference)
			.orElse(null);
	}

}
