package dev.strangler.gateway.progression;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Progression;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.StateFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileProgressionStoreTests {

	@TempDir
	Path dir;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

	private final ProgressionMachine machine = new ProgressionMachine(this.clock);

	private final Progression plan = ProgressionMachineTests.plan(Progression.OnFailure.ROLLBACK, false);

	@Test
	void aRestartInTheMiddleOfAStepResumesItWithItsHoldAndCounts() {
		FileProgressionStore before = new FileProgressionStore(this.dir);
		ProgressionState state = this.machine
			.decide(this.plan, ProgressionState.waiting("catalog", this.clock.instant()), IntervalFigures.NONE)
			.state();
		this.clock.advance(Duration.ofMinutes(1));
		state = this.machine.decide(this.plan, state, ProgressionMachineTests.shadow(150, 0)).state();
		before.save(state);

		FileProgressionStore after = new FileProgressionStore(this.dir);
		ProgressionState resumed = after.load("catalog").orElseThrow();
		assertThat(resumed).isEqualTo(state);
		assertThat(resumed.stepComparisons()).isEqualTo(150);
		assertThat(resumed.history()).hasSize(1);
		// 150 comparisons before the restart and 150 after make the 200 the step needs
		this.clock.advance(Duration.ofMinutes(1));
		Decision decision = this.machine.decide(this.plan, resumed, ProgressionMachineTests.shadow(150, 0));
		assertThat(decision.result()).isEqualTo(Decision.Result.PROMOTED);
		assertThat(decision.change()).contains(new Decision.Change(Stage.CANARY, Percent.parse("10")));
	}

	@Test
	void aRouteThatNeverStartedHasNoState() {
		assertThat(new FileProgressionStore(this.dir).load("catalog")).isEmpty();
	}

	@Test
	void anUnreadableFileStopsTheStoreWithItsName() throws Exception {
		Files.writeString(this.dir.resolve(FileProgressionStore.FILE_NAME), "{not json");
		assertThatExceptionOfType(StateFileException.class).isThrownBy(() -> new FileProgressionStore(this.dir))
			.withMessageContaining(FileProgressionStore.FILE_NAME);
	}

}
