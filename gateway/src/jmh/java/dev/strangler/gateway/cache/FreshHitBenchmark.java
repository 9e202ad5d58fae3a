package dev.strangler.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.buffer.ByteBuf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.http.HttpHeaders;

/**
 * The cache's share of a hit: what the front pays ({@link RouteResponseCache#fresh}, the
 * pre-encoded response, a body duplicate, {@code Age}) against what the filter chain pays
 * for the same hit (a load future, {@link RouteResponseCache#lookup}, the
 * {@code Vary} re-check). Without or with a route {@code vary} header. Run with the
 * allocation profiler:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="FreshHit -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FreshHitBenchmark {

	@Param({ "none", "accept" })
	public String vary;

	private RouteResponseCache cache;

	private HttpHeaders headers;

	private PrimaryKey key;

	@Setup
	public void setUp() {
		List<String> varyNames = this.vary.equals("none") ? List.of() : List.of("Accept");
		this.cache = new RouteResponseCache("catalog", new CacheSettings(Duration.ofHours(1), 1000, 16 << 20, varyNames),
				new CachePolicy(CachePolicy.DEFAULT_STATUSES, 1 << 20), Ticker.systemTicker(), Clock.systemUTC(),
				Runnable::run);
		this.headers = new HttpHeaders();
		this.headers.put(HttpHeaders.ACCEPT, List.of("application/json"));
		this.headers.put(HttpHeaders.USER_AGENT, List.of("bench/1.0"));
		this.key = PrimaryKey.of("catalog", "legacy", "GET", "/api/products/42", null);
		HttpHeaders response = new HttpHeaders();
		response.put(HttpHeaders.CONTENT_TYPE, List.of("application/json"));
		response.put(HttpHeaders.ETAG, List.of("\"v1\""));
		byte[] body = "{\"id\":42,\"name\":\"A product\",\"price\":12.5}".getBytes(StandardCharsets.UTF_8);
		CompletableFuture<Loaded> load = new CompletableFuture<>();
		this.cache.lookup(this.key, this.headers, (missing) -> load);
		load.complete(this.cache.capture(this.cache.decide(this.headers, 200, response), this.headers, 200, response,
				body));
		if (this.cache.fresh(this.key, this.headers) == null) {
			throw new IllegalStateException("no entry to hit");
		}
	}

	/** The front: key, one quiet lookup, the encoded response, a body duplicate, Age. */
	@Benchmark
	public void front(Blackhole blackhole) {
		CachedResponse response = this.cache.fresh(
				PrimaryKey.of("catalog", "legacy", "GET", "/api/products/42", null), this.headers);
		WireResponse wire = response.wire("catalog", "legacy");
		ByteBuf body = wire.body();
		blackhole.consume(body);
		body.release();
		blackhole.consume(Long.toString(this.cache.ageSeconds(response)));
	}

	/** The chain's lookup of the same hit, as ResponseCacheFilter makes it. */
	@Benchmark
	public void chain(Blackhole blackhole) {
		CompletableFuture<Loaded> load = new CompletableFuture<>();
		RouteResponseCache.Lookup lookup = this.cache.lookup(
				PrimaryKey.of("catalog", "legacy", "GET", "/api/products/42", null), this.headers, (missing) -> load);
		Loaded loaded = lookup.result().join();
		blackhole.consume(loaded.usableFor(this.headers).orElseThrow().body());
		blackhole.consume(Long.toString(this.cache.ageSeconds(loaded.response())));
	}

}
