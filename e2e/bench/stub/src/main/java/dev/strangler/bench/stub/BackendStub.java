package dev.strangler.bench.stub;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The benchmark's backend: answers every request, whatever its method and path, with the
 * same 300-byte JSON product, on 127.0.0.1 only.
 *
 * <pre>
 * java -jar bench-backend-stub-exec.jar 18081:0 18082:20   # port:delay-ms, one server each
 * </pre>
 *
 * <p>
 * It does as little as a server can (no routing, no JSON encoding, a body computed once)
 * so that what a proxy in front of it adds stands out. The delayed variant stands in for
 * a backend doing real work: it schedules the answer rather than blocking, so it costs no
 * CPU while waiting and its latency floor is the delay itself.
 */
public final class BackendStub {

	static final byte[] BODY = body();

	private BackendStub() {
	}

	public static void main(String[] args) {
		if (args.length == 0) {
			throw new IllegalArgumentException("Usage: BackendStub port:delayMs [port:delayMs...]");
		}
		List<DisposableServer> servers = new ArrayList<>();
		for (String arg : args) {
			String[] portAndDelay = arg.split(":", 2);
			int port = Integer.parseInt(portAndDelay[0]);
			Duration delay = Duration.ofMillis((portAndDelay.length > 1) ? Long.parseLong(portAndDelay[1]) : 0);
			servers.add(start(port, delay));
			System.out.println("backend stub listening on 127.0.0.1:" + port + " delay=" + delay.toMillis() + "ms");
		}
		servers.get(0).onDispose().block();
	}

	static DisposableServer start(int port, Duration delay) {
		Mono<byte[]> answer = delay.isZero() ? Mono.just(BODY) : Mono.delay(delay).thenReturn(BODY);
		return HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.handle((request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
				.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(BODY.length))
				.sendByteArray(request.receive().then(answer)))
			.bindNow();
	}

	/**
	 * A catalog product padded to exactly 300 bytes, so every system moves the same
	 * payload.
	 */
	private static byte[] body() {
		String json = "{\"id\":42,\"sku\":\"SKU-10042\",\"name\":\"Espresso cup, stoneware, 90 ml\","
				+ "\"description\":\"Hand-glazed cup for a double espresso.\",\"price\":12.90,\"currency\":\"EUR\","
				+ "\"category\":{\"id\":7,\"name\":\"Kitchen\"},\"tags\":[\"coffee\",\"ceramic\"],"
				+ "\"stock\":{\"warehouse\":\"W1\",\"quantity\":118},\"padding\":\"";
		String tail = "\"}";
		return (json + "x".repeat(300 - json.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
	}

}
