package dev.strangler.gateway.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.strangler.gateway.StranglerGatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A corrupt state file stops start-up with a report naming it, and is left as it was.
 */
@ExtendWith(OutputCaptureExtension.class)
class StateFileStartupIntegrationTests {

	@Test
	void aCorruptStateFileStopsStartUpNamingTheFile(@TempDir Path state, CapturedOutput output) throws IOException {
		Path file = state.resolve("overrides.json");
		Files.writeString(file, "{\"format\":1,");

		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(StranglerGatewayApplication.class)
			.run("--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0",
					"--management.server.address=127.0.0.1", "--strangler.legacy.url=http://127.0.0.1:1",
					"--strangler.routes.location=classpath:routes/cache/", "--strangler.state.dir=" + state)
			.close());

		assertThat(failure).isNotNull();
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains(file.toAbsolutePath().toString())
			.contains("STRANGLER_STATE_DIR");
		assertThat(Files.readString(file)).isEqualTo("{\"format\":1,");
	}

}
