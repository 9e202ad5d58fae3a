package dev.strangler.gateway.shadow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.strangler.gateway.compare.CompareRules;
import dev.strangler.gateway.compare.Comparison;
import dev.strangler.gateway.compare.ResponseComparator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Judging a mirror whose target answered legacy's bytes exactly, the common case behind a
 * correct port: {@link KeptResponse#sameBytesAs} on the answers as a mirror keeps them
 * (status, the compared headers, the body in the pooled direct buffers it arrived in,
 * split in {@code parts} as a body read in several chunks is), against the same bodies
 * compared by Netty's {@code ByteBufUtil.equals} as one buffer each (a composite when
 * split), which it did before, and against what the judgement cost before the mirror's
 * event loop judged same bytes at all (each body copied out of its buffers, then the
 * comparison engine's byte fast path, {@link ResponseComparator}, on a comparison thread
 * after a hop to it, which this does not measure). Run with {@code -prof gc} for bytes
 * per judgement:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="SameBytes -prof gc"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SameBytesBenchmark {

	/** The bench's 300-byte JSON, a typical API answer, and the largest judged in place. */
	@Param({ "300", "2048", "16384" })
	public int bytes;

	/** A body read in one chunk, or in two. */
	@Param({ "1", "2" })
	public int parts;

	private final ResponseComparator comparator = new ResponseComparator();

	private KeptResponse legacy;

	private KeptResponse target;

	@Setup(Level.Trial)
	public void setUp() {
		byte[] body = json(this.bytes);
		this.legacy = kept(body);
		this.target = kept(body);
		if (!this.legacy.sameBytesAs(this.target, Mirror.SAME_BYTES_MAX_BODY) || !captureAndCompare().isMatch()) {
			throw new IllegalStateException("Benchmark fixture is wrong: the answers should be the same bytes");
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.legacy.body().release();
		this.target.body().release();
	}

	/** What the mirror's event loop pays now. */
	@Benchmark
	public boolean sameBytesAs() {
		return this.legacy.sameBytesAs(this.target, Mirror.SAME_BYTES_MAX_BODY);
	}

	/** The same bodies compared as {@code sameBytesAs} compared them before. */
	@Benchmark
	public boolean nettyEquals() {
		ByteBuf mine = this.legacy.body().retainedBody();
		ByteBuf theirs = this.target.body().retainedBody();
		try {
			return ByteBufUtil.equals(mine, theirs);
		}
		finally {
			mine.release();
			theirs.release();
		}
	}

	/** What the comparison thread paid for the same answers before. */
	@Benchmark
	public Comparison captureAndCompare() {
		return this.comparator.compare(CompareRules.DEFAULT, this.legacy.capture(), this.target.capture());
	}

	/** An answer as a mirror keeps it: its body in pooled direct buffers, as read. */
	private KeptResponse kept(byte[] body) {
		BoundedBytes bytes = new BoundedBytes(Mirror.SAME_BYTES_MAX_BODY);
		int chunk = (body.length + this.parts - 1) / this.parts;
		for (int at = 0; at < body.length; at += chunk) {
			int count = Math.min(chunk, body.length - at);
			ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(count);
			read.writeBytes(body, at, count);
			// kept as a retained duplicate; the read buffer goes on to the client
			bytes.append(read);
			read.release();
		}
		Map<String, List<String>> headers = KeptResponse.comparedHeaders(List.of(),
				(name) -> name.equals("Content-Type") ? List.of("application/json") : List.of());
		return new KeptResponse(200, headers, bytes);
	}

	/** A JSON document of exactly {@code size} bytes. */
	private static byte[] json(int size) {
		String open = "{\"items\":\"";
		String close = "\"}";
		return (open + "x".repeat(size - open.length() - close.length()) + close).getBytes(StandardCharsets.UTF_8);
	}

}
