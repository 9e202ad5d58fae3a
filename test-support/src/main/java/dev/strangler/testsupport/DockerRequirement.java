package dev.strangler.testsupport;

import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs container tests only where Docker answers, and never skips them silently.
 *
 * <ul>
 * <li>Docker answers: the tests run.</li>
 * <li>No Docker: the test class is skipped and a banner on stderr says that the container
 * tests did not run and how to run them.</li>
 * <li>No Docker and {@code STRANGLER_REQUIRE_DOCKER=true} (CI): the test class fails, so
 * a pipeline that must prove the images cannot go green without them.</li>
 * </ul>
 */
public class DockerRequirement implements ExecutionCondition, BeforeAllCallback {

	static final String REQUIRE_DOCKER = "STRANGLER_REQUIRE_DOCKER";

	private final Supplier<Optional<String>> dockerProbe;

	private final UnaryOperator<String> environment;

	private final PrintStream console;

	// Probed once: the condition and beforeAll must agree, and a second probe only
	// reports
	// that the first one failed.
	private Optional<String> problem;

	/**
	 * The extension as {@link RequiresDocker} uses it: probes the real Docker engine.
	 */
	public DockerRequirement() {
		this(DockerRequirement::probeDocker, System::getenv, System.err);
	}

	DockerRequirement(Supplier<Optional<String>> dockerProbe, UnaryOperator<String> environment, PrintStream console) {
		this.dockerProbe = dockerProbe;
		this.environment = environment;
		this.console = console;
	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		Optional<String> problem = dockerProblem();
		if (problem.isEmpty()) {
			return ConditionEvaluationResult.enabled("Docker is available");
		}
		if (dockerRequired()) {
			// Enabled on purpose: beforeAll turns the missing engine into a failure.
			return ConditionEvaluationResult.enabled(REQUIRE_DOCKER + "=true and Docker is missing");
		}
		this.console.println(banner(context.getDisplayName(), problem.get()));
		return ConditionEvaluationResult.disabled("CONTAINER TESTS DID NOT RUN: no Docker (" + problem.get() + "); set "
				+ REQUIRE_DOCKER + "=true to make this a failure");
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		Optional<String> problem = dockerProblem();
		if (problem.isPresent() && dockerRequired()) {
			throw new IllegalStateException(REQUIRE_DOCKER + "=true but no Docker environment was found ("
					+ problem.get() + "): the container tests of " + context.getDisplayName()
					+ " cannot run. Start a Docker engine (see docs/containers.md) or unset " + REQUIRE_DOCKER + ".");
		}
	}

	private Optional<String> dockerProblem() {
		if (this.problem == null) {
			this.problem = this.dockerProbe.get();
		}
		return this.problem;
	}

	private boolean dockerRequired() {
		return "true".equalsIgnoreCase(this.environment.apply(REQUIRE_DOCKER));
	}

	static String banner(String testClass, String problem) {
		String rule = "!".repeat(100);
		return String.join(System.lineSeparator(), "", rule,
				"!!! CONTAINER TESTS DID NOT RUN: " + testClass
						+ " was SKIPPED because no Docker environment was found.",
				"!!! Reason: " + problem,
				"!!! To run them: start a Docker engine (see docs/containers.md); where the Ryuk image cannot be",
				"!!! pulled, export TESTCONTAINERS_RYUK_DISABLED=true; then run ./mvnw -B verify again.",
				"!!! Set " + REQUIRE_DOCKER + "=true to make a missing Docker engine fail the build instead.", rule,
				"");
	}

	private static Optional<String> probeDocker() {
		try {
			DockerClientFactory.instance().client();
			return Optional.empty();
		}
		catch (RuntimeException ex) {
			return Optional.of(String.valueOf(ex.getMessage()));
		}
	}

}
