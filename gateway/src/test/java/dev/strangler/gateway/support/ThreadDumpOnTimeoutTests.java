package dev.strangler.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ThreadDumpOnTimeoutTests {

	private final ThreadDumpOnTimeout extension = new ThreadDumpOnTimeout();

	private final ExtensionContext context = mock(ExtensionContext.class);

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private PrintStream originalErr;

	@BeforeEach
	void captureStandardError() {
		given(this.context.getDisplayName()).willReturn("aSlowTest()");
		this.originalErr = System.err;
		System.setErr(new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	@AfterEach
	void restoreStandardError() {
		System.setErr(this.originalErr);
	}

	@Test
	void aTimeoutAnywhereInTheCauseChainPrintsEveryThreadsStackAndIsRethrown() {
		IllegalStateException failure = new IllegalStateException("Timeout on blocking read",
				new TimeoutException("30 s"));

		assertThatThrownBy(() -> this.extension.handleTestExecutionException(this.context, failure)).isSameAs(failure);

		String printed = this.err.toString(StandardCharsets.UTF_8);
		assertThat(printed).startsWith("Thread dump after aSlowTest() timed out (IllegalStateException):")
			.contains("\"" + Thread.currentThread().getName() + "\" RUNNABLE")
			.contains(ThreadDumpOnTimeoutTests.class.getName() + ".aTimeoutAnywhere");
	}

	@Test
	void otherFailuresAreRethrownWithoutADump() {
		AssertionError failure = new AssertionError("expected 1 but was 2");

		assertThatThrownBy(() -> this.extension.handleTestExecutionException(this.context, failure)).isSameAs(failure);

		assertThat(this.err.toString(StandardCharsets.UTF_8)).isEmpty();
	}

}
