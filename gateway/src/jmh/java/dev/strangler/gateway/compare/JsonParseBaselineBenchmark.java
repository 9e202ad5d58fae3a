package dev.strangler.gateway.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The floor under {@link ComparatorBenchmark}: parsing the same two documents with a
 * plain Jackson {@link ObjectMapper} and nothing else. On a shared, noisy machine the
 * ratio of the two says more than either figure alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonParseBaselineBenchmark {

	@Param({ "2", "20", "200" })
	public int kilobytes;

	private final ObjectMapper mapper = new ObjectMapper();

	private byte[] document;

	@Setup
	public void setUp() {
		this.document = ComparatorBenchmark.CatalogDocument.of(this.kilobytes * 1024).getBytes(StandardCharsets.UTF_8);
	}

	@Benchmark
	public void parseBoth(Blackhole blackhole) throws IOException {
		JsonNode legacy = this.mapper.readTree(this.document);
		JsonNode target = this.mapper.readTree(this.document);
		blackhole.consume(legacy);
		blackhole.consume(target);
	}

}
