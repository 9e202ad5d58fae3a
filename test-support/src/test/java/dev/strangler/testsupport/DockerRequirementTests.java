package dev.strangler.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class DockerRequirementTests {

	private final ByteArrayOutputStream console = new ByteArrayOutputStream();

	private final ExtensionContext context = mock(ExtensionContext.class);

	DockerRequirementTests() {
		given(this.context.getDisplayName()).willReturn("DeploymentIT");
	}

	@Test
	void containerTestsRunWhenDockerAnswers() {
		DockerRequirement requirement = requirement(Optional.empty(), Map.of());

		assertThat(requirement.evaluateExecutionCondition(this.context).isDisabled()).isFalse();
		assertThatNoException().isThrownBy(() -> requirement.beforeAll(this.context));
		assertThat(printed()).isEmpty();
	}

	@Test
	void withoutDockerTheTestsAreSkippedWithALoudBanner() {
		DockerRequirement requirement = requirement(Optional.of("no socket"), Map.of());

		ConditionEvaluationResult result = requirement.evaluateExecutionCondition(this.context);

		assertThat(result.isDisabled()).isTrue();
		assertThat(result.getReason()).hasValueSatisfying((reason) -> assertThat(reason).contains("DID NOT RUN"));
		assertThat(printed()).contains("CONTAINER TESTS DID NOT RUN: DeploymentIT was SKIPPED")
			.contains("Reason: no socket")
			.contains("STRANGLER_REQUIRE_DOCKER=true");
	}

	@Test
	void withoutDockerTheTestsFailWhenDockerIsRequired() {
		DockerRequirement requirement = requirement(Optional.of("no socket"),
				Map.of("STRANGLER_REQUIRE_DOCKER", "true"));

		assertThat(requirement.evaluateExecutionCondition(this.context).isDisabled()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> requirement.beforeAll(this.context))
			.withMessageContaining("STRANGLER_REQUIRE_DOCKER=true but no Docker environment was found (no socket)")
			.withMessageContaining("DeploymentIT");
	}

	@Test
	void onlyTheValueTrueMakesDockerRequired() {
		DockerRequirement requirement = requirement(Optional.of("no socket"),
				Map.of("STRANGLER_REQUIRE_DOCKER", "false"));

		assertThat(requirement.evaluateExecutionCondition(this.context).isDisabled()).isTrue();
	}

	private DockerRequirement requirement(Optional<String> dockerProblem, Map<String, String> environment) {
		return new DockerRequirement(() -> dockerProblem, environment::get,
				new PrintStream(this.console, true, StandardCharsets.UTF_8));
	}

	private String printed() {
		return this.console.toString(StandardCharsets.UTF_8);
	}

}
