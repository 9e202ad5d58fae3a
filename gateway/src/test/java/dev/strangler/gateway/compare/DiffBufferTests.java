package dev.strangler.gateway.compare;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DiffBufferTests {

	private static DiffRecord record(int n, String... paths) {
		List<Difference> differences = new ArrayList<>();
		for (String path : paths) {
			differences.add(new Difference(path, "1", "2"));
		}
		return new DiffRecord(Instant.ofEpochSecond(n), "GET", "/api/products/" + n, 200, 200, differences, "t" + n);
	}

	@Test
	void recentReturnsTheNewestFirst() {
		DiffBuffer buffer = new DiffBuffer(10);

		buffer.add("catalog", record(1));
		buffer.add("catalog", record(2));

		assertThat(buffer.recent("catalog")).extracting(DiffRecord::traceId).containsExactly("t2", "t1");
	}

	@Test
	void aFullBufferDropsTheOldest() {
		DiffBuffer buffer = new DiffBuffer(3);

		IntStream.rangeClosed(1, 5).forEach((n) -> buffer.add("catalog", record(n)));

		assertThat(buffer.recent("catalog")).extracting(DiffRecord::traceId).containsExactly("t5", "t4", "t3");
	}

	@Test
	void routesHaveTheirOwnBuffers() {
		DiffBuffer buffer = new DiffBuffer(1);

		buffer.add("catalog", record(1));
		buffer.add("orders", record(2));

		assertThat(buffer.recent("catalog")).extracting(DiffRecord::traceId).containsExactly("t1");
		assertThat(buffer.recent("unknown")).isEmpty();
	}

	@Test
	void clearingARouteEmptiesOnlyItsBuffer() {
		DiffBuffer buffer = new DiffBuffer(5);
		buffer.add("catalog", record(1));
		buffer.add("orders", record(2));

		buffer.clear("catalog");

		assertThat(buffer.recent("catalog")).isEmpty();
		assertThat(buffer.recent("orders")).hasSize(1);
	}

	@Test
	void retainForgetsRoutesNoLongerConfigured() {
		DiffBuffer buffer = new DiffBuffer(5);
		buffer.add("catalog", record(1));
		buffer.add("removed", record(2));

		buffer.retain(List.of("catalog"));

		assertThat(buffer.recent("removed")).isEmpty();
		assertThat(buffer.recent("catalog")).hasSize(1);
	}

	@Test
	void theBoundHoldsUnderConcurrentWriters() {
		DiffBuffer buffer = new DiffBuffer(50);
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			CompletableFuture<?>[] writers = IntStream.range(0, 4).mapToObj((w) -> CompletableFuture.runAsync(() -> {
				for (int n = 0; n < 1000; n++) {
					buffer.add("catalog", record(n));
					buffer.recent("catalog");
				}
			}, executor)).toArray(CompletableFuture[]::new);
			CompletableFuture.allOf(writers).join();
		}
		finally {
			executor.shutdown();
		}

		assertThat(buffer.recent("catalog")).hasSize(50);
	}

	@Test
	void topPathsCountEachMismatchOncePerPathTemplate() {
		DiffBuffer buffer = new DiffBuffer(10);
		buffer.add("catalog", record(1, "$.content[0].price", "$.content[1].price", "$.page"));
		buffer.add("catalog", record(2, "$.content[3].price"));
		buffer.add("catalog", record(3, "status"));

		Map<String, Long> top = buffer.topPaths("catalog", 2);

		assertThat(top).containsExactly(Map.entry("$.content[*].price", 2L), Map.entry("$.page", 1L));
	}

	@Test
	void aCapacityBelowOneIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DiffBuffer(0))
			.withMessage("capacityPerRoute must be at least 1 but was 0");
	}

	@Test
	void aVeryLongPathIsCut() {
		DiffRecord record = new DiffRecord(Instant.EPOCH, "GET", "/" + "a".repeat(5000), 200, 200, List.of(), null);

		assertThat(record.pathWithQuery()).hasSize(DiffRecord.MAX_PATH_LENGTH).endsWith("…");
	}

}
