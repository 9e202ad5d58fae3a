package dev.strangler.gateway.replay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.strangler.gateway.compare.CapturedResponse;
import dev.strangler.gateway.compare.CompareRules;
import dev.strangler.gateway.compare.Comparison;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.digest.Sha256;

/**
 * Sends each request to legacy and to the target directly, at the same time, and compares
 * the two answers with the route's rules, through the gateway's own
 * {@link ResponseComparator}.
 */
final class Replayer {

	// The JDK client sets these itself and refuses them from callers.
	private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

	private final HttpClient client;

	private final URI legacy;

	private final URI target;

	private final CompareRules rules;

	private final Duration timeout;

	private final ResponseComparator comparator = new ResponseComparator();

	Replayer(URI legacy, URI target, CompareRules rules, Duration timeout) {
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(timeout)
			.build();
		this.legacy = legacy;
		this.target = target;
		this.rules = rules;
		this.timeout = timeout;
	}

	ReplayOutcome replay(ReplayRequest request) {
		CompletableFuture<HttpResponse<byte[]>> legacyCall = send(this.legacy, request);
		CompletableFuture<HttpResponse<byte[]>> targetCall = send(this.target, request);
		HttpResponse<byte[]> legacyResponse;
		HttpResponse<byte[]> targetResponse;
		try {
			legacyResponse = legacyCall.join();
		}
		catch (CompletionException ex) {
			targetCall.cancel(true);
			return ReplayOutcome.error(request, "legacy: " + describe(ex.getCause()));
		}
		try {
			targetResponse = targetCall.join();
		}
		catch (CompletionException ex) {
			return ReplayOutcome.error(request, "target: " + describe(ex.getCause()));
		}
		Comparison comparison = this.comparator.compare(this.rules, captured(legacyResponse), captured(targetResponse));
		boolean legacyChanged = request.recordedSha256() != null
				&& !request.recordedSha256().equals(Sha256.hex(legacyResponse.body()));
		return ReplayOutcome.compared(request, legacyResponse.statusCode(), targetResponse.statusCode(), comparison,
				legacyChanged);
	}

	private CompletableFuture<HttpResponse<byte[]>> send(URI base, ReplayRequest request) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(base, request.pathAndQuery()))
			.timeout(this.timeout)
			.method(request.method(), (request.body().length > 0)
					? HttpRequest.BodyPublishers.ofByteArray(request.body()) : HttpRequest.BodyPublishers.noBody());
		request.headers().forEach((name, values) -> {
			if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
				values.forEach((value) -> builder.header(name, value));
			}
		});
		try {
			return this.client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	static URI resolve(URI base, String pathAndQuery) {
		String root = base.toString();
		return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + pathAndQuery);
	}

	private static CapturedResponse captured(HttpResponse<byte[]> response) {
		return CapturedResponse.of(response.statusCode(), response.headers().map(), response.body());
	}

	private static String describe(Throwable failure) {
		String message = (failure instanceof IOException && failure.getMessage() == null) ? ""
				: ": " + failure.getMessage();
		return failure.getClass().getSimpleName() + message;
	}

	/**
	 * What one replayed request gave.
	 *
	 * @param request the request
	 * @param legacyStatus legacy's status, 0 on error
	 * @param targetStatus the target's status, 0 on error
	 * @param comparison the comparison, {@code null} on error
	 * @param error why the pair could not be compared, {@code null} when it was
	 * @param legacyChanged whether legacy's body now differs from the one recorded
	 */
	record ReplayOutcome(ReplayRequest request, int legacyStatus, int targetStatus, Comparison comparison, String error,
			boolean legacyChanged) {

		static ReplayOutcome compared(ReplayRequest request, int legacyStatus, int targetStatus, Comparison comparison,
				boolean legacyChanged) {
			return new ReplayOutcome(request, legacyStatus, targetStatus, comparison, null, legacyChanged);
		}

		static ReplayOutcome error(ReplayRequest request, String error) {
			return new ReplayOutcome(request, 0, 0, null, error, false);
		}

		boolean isError() {
			return this.error != null;
		}

		boolean isMatch() {
			return this.comparison != null && this.comparison.isMatch();
		}

		List<dev.strangler.gateway.compare.Difference> differences() {
			return (this.comparison != null) ? this.comparison.differences() : List.of();
		}

	}

	@Override
	public String toString() {
		return "Replayer[legacy=" + this.legacy + ", target=" + this.target + ", rules=" + this.rules + "]";
	}

}
