package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The suite's HTTP client: HTTP/1.1 only (no h2c upgrade headers in the way), no
 * redirects followed, bodies as bytes so comparisons can be exact.
 */
final class Http {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private Http() {
	}

	static HttpRequest.Builder request(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
	}

	static HttpResponse<byte[]> get(URI uri) {
		return exchange(request(uri).GET().build());
	}

	/**
	 * Sends a request, turning I/O failures into unchecked exceptions that name the
	 * request.
	 */
	static HttpResponse<byte[]> exchange(HttpRequest request) {
		try {
			return send(request);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", ex);
		}
	}

	/**
	 * Sends a request and waits at most {@code limit} for the whole answer, body included
	 * (a request's own timeout ends when the headers arrive): for answers that may stall
	 * half-way.
	 * @throws TimeoutException when the answer is not complete within {@code limit}
	 */
	static HttpResponse<byte[]> sendWithin(HttpRequest request, Duration limit) throws IOException, TimeoutException {
		CompletableFuture<HttpResponse<byte[]>> answer = CLIENT.sendAsync(request,
				HttpResponse.BodyHandlers.ofByteArray());
		try {
			return answer.get(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof IOException io) ? io : new IOException(ex.getCause());
		}
		finally {
			answer.cancel(true);
		}
	}

	static HttpResponse<byte[]> send(HttpRequest request) throws IOException {
		try {
			return CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

}
