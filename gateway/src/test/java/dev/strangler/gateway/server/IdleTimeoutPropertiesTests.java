package dev.strangler.gateway.server;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code strangler.edge.idle-timeout}, the gateway's own idle timeout, and Spring Boot's
 * {@code server.netty.idle-timeout}, which it replaces.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdleTimeoutPropertiesTests {

	@Test
	void anIdleTimeoutThatIsNotPositiveIsRefusedWithThePropertysName() {
		assertThatIllegalArgumentException().isThrownBy(() -> edge(Duration.ZERO))
			.withMessage("strangler.edge.idle-timeout must be positive but was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> edge(Duration.ofSeconds(-1)))
			.withMessage("strangler.edge.idle-timeout must be positive but was PT-1S");
	}

	@Test
	void reactorNettysIdleTimeoutSetBesideTheGatewaysIsNamedInAWarning(CapturedOutput output) {
		ServerProperties server = new ServerProperties();
		server.getNetty().setIdleTimeout(Duration.ofSeconds(120));

		EdgeLimits limits = edgeLimits(server);

		assertThat(limits)
			.hasToString("EdgeLimits[maxRequestBody=10485760 bytes, requestHeadTimeout=PT10S, idleTimeout=PT1M15S]");
		assertThat(output).contains("server.netty.idle-timeout=PT2M is set")
			.contains("strangler.edge.idle-timeout=PT1M15S (the shorter wins)");
	}

	@Test
	void withoutReactorNettysIdleTimeoutNothingIsWarned(CapturedOutput output) {
		edgeLimits(new ServerProperties());

		assertThat(output).doesNotContain("server.netty.idle-timeout");
	}

	private static EdgeLimits edgeLimits(ServerProperties server) {
		return new ServerConfiguration().edgeLimits(edge(Duration.ofSeconds(75)), server, new ObjectMapper(),
				new SimpleMeterRegistry());
	}

	private static EdgeProperties edge(Duration idleTimeout) {
		return new EdgeProperties(DataSize.ofMegabytes(10), Duration.ofSeconds(10), idleTimeout);
	}

}
