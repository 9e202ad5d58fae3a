package dev.strangler.gateway.buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.strangler.gateway.buffer.BodyBudget.Feature;
import dev.strangler.gateway.buffer.BodyBudget.Reservation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BodyBudgetTests {

	@Test
	void grantsUntilTheTotalIsReachedThenRefusesAndCountsTheRefusal() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		BodyBudget budget = new BodyBudget(100);
		budget.bindTo(registry);
		Reservation first = budget.open();
		Reservation second = budget.open();

		assertThat(first.tryGrow(60, Feature.REPLAY)).isTrue();
		assertThat(second.tryGrow(50, Feature.MIRROR)).isFalse();
		assertThat(second.tryGrow(40, Feature.MIRROR)).isTrue();

		assertThat(budget.used()).isEqualTo(100);
		assertThat(budget.refused(Feature.MIRROR)).isEqualTo(1);
		assertThat(registry.get("strangler.buffers.refused").tag("feature", "mirror").counter().count()).isEqualTo(1);
		assertThat(registry.get("strangler.buffers.used").gauge().value()).isEqualTo(100);
	}

	@Test
	void closingReleasesEverythingOnceAndAClosedReservationGrowsNoMore() {
		BodyBudget budget = new BodyBudget(100);
		Reservation reservation = budget.open();
		reservation.tryGrow(30, Feature.RESPONSE_CHECK);
		reservation.tryGrow(20, Feature.REPLAY);

		reservation.close();
		reservation.close();

		assertThat(budget.used()).isZero();
		assertThat(reservation.tryGrow(10, Feature.REPLAY)).isFalse();
		assertThat(budget.used()).isZero();
	}

	@Test
	void concurrentReservationsNeverExceedTheTotalAndAllComeBack() throws Exception {
		BodyBudget budget = new BodyBudget(1_000);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<Long>> peaks = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				peaks.add(threads.submit(() -> {
					long peak = 0;
					for (int i = 0; i < 2_000; i++) {
						try (Reservation reservation = budget.open()) {
							reservation.tryGrow(70, Feature.MIRROR);
							reservation.tryGrow(30, Feature.MIRROR);
							peak = Math.max(peak, budget.used());
						}
					}
					return peak;
				}));
			}
			for (Future<Long> peak : peaks) {
				assertThat(peak.get(30, TimeUnit.SECONDS)).isLessThanOrEqualTo(1_000);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(budget.used()).isZero();
	}

	@Test
	void rejectsANegativeTotalNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BodyBudget(-1))
			.withMessage("maxTotal must be at least 0 but was -1");
	}

	@Test
	void theDefaultTotalIsAQuarterOfTheHeap() {
		assertThat(new BufferProperties(null).maxTotalBytes(256L << 20)).isEqualTo(64L << 20);
	}

}
