package dev.strangler.gateway.headers;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

/**
 * What putting the forwarding headers back costs per proxied request: into the copy the
 * filters before hand over ({@link ForwardingHeadersKeeper}) against into one more copy of
 * every header (what it did before). Both start from that handed-over copy, made the same
 * way in each, of a browser-like request's headers. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="ForwardingHeadersKeeper -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ForwardingHeadersKeeperBenchmark {

	private final ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/items/7")
		.header("Host", "shop.example")
		.header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0")
		.header("Accept", "application/json")
		.header("Accept-Language", "en-GB,en;q=0.5")
		.header("Accept-Encoding", "gzip, deflate, br")
		.header("Cookie", "session=4f1c2a")
		.header("X-Forwarded-For", "203.0.113.9")
		.header("X-Forwarded-Proto", "https")
		.header("X-Forwarded-Host", "shop.example")
		.header("X-Forwarded-Port", "443"));

	private final ForwardingHeadersKeeper keeper = new ForwardingHeadersKeeper();

	@Benchmark
	public HttpHeaders intoTheHandedOverCopy() {
		return this.keeper.filter(handedOver(), this.exchange);
	}

	@Benchmark
	public HttpHeaders intoOneMoreCopy() {
		return intoNewHeaders(handedOver(), this.exchange);
	}

	/** What the filters before the keeper hand over: a writable copy of the headers. */
	private HttpHeaders handedOver() {
		HttpHeaders copy = new HttpHeaders();
		copy.addAll(this.exchange.getRequest().getHeaders());
		return copy;
	}

	/** The keeper before it changed the handed-over copy in place. */
	private static HttpHeaders intoNewHeaders(HttpHeaders input, ServerWebExchange exchange) {
		HttpHeaders output = new HttpHeaders();
		input.forEach((name, values) -> {
			if (!ForwardingHeaders.isForwarding(name)) {
				output.addAll(name, values);
			}
		});
		exchange.getRequest().getHeaders().forEach((name, values) -> {
			if (ForwardingHeaders.isForwarding(name)) {
				output.addAll(name, values);
			}
		});
		return output;
	}

}
