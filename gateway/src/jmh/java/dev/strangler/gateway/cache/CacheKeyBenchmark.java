package dev.strangler.gateway.cache;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
 * Cost of building a cache key on every cacheable request: the {@link PrimaryKey} (method
 * folding and query normalisation) and the full {@link CacheKey} with the route's vary
 * headers, then hashing and comparing it as a Caffeine lookup does. Query: none, or four
 * parameters out of order. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="CacheKey"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheKeyBenchmark {

	@Param({ "none", "four-params" })
	public String query;

	private final Set<String> vary = Set.of("Accept", "Accept-Language");

	private String rawQuery;

	private HttpHeaders headers;

	private CacheKey stored;

	@Setup
	public void setUp() {
		this.rawQuery = this.query.equals("none") ? null : "sort=price,desc&page=0&size=20&category=7";
		this.headers = new HttpHeaders();
		this.headers.put(HttpHeaders.ACCEPT, List.of("application/json"));
		this.headers.put(HttpHeaders.ACCEPT_LANGUAGE, List.of("de-CH, de;q=0.9, en;q=0.8"));
		this.headers.put(HttpHeaders.USER_AGENT, List.of("bench/1.0"));
		this.stored = fullKey();
	}

	@Benchmark
	public PrimaryKey primaryKey() {
		return PrimaryKey.of("catalog", "legacy", "GET", "/api/products", this.rawQuery);
	}

	@Benchmark
	public CacheKey fullKey() {
		return CacheKey.of(PrimaryKey.of("catalog", "legacy", "GET", "/api/products", this.rawQuery), this.vary,
				this.headers);
	}

	/** Build, hash and compare with an equal stored key: what a cache hit pays. */
	@Benchmark
	public void fullKeyLookup(Blackhole blackhole) {
		CacheKey key = fullKey();
		blackhole.consume(key.hashCode());
		blackhole.consume(key.equals(this.stored));
	}

}
