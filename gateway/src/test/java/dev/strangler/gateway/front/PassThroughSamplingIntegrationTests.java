package dev.strangler.gateway.front;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.strangler.gateway.support.ChainExchanges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front decides a new trace's sampling once: a request it finds sampled goes through
 * the filter chain, whose observation takes that decision (and its trace id) instead of
 * drawing again. Were it drawn again, about half of the chain's requests would reach
 * legacy unsampled, and the configured probability would be its square.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/pass-through/",
				"management.tracing.sampling.probability=0.5" })
class PassThroughSamplingIntegrationTests {

	static final WireMockServer legacy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	static {
		legacy.start();
		legacy.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(aResponse().withStatus(200).withBody("legacy")));
	}

	@AfterAll
	static void stopLegacy() {
		legacy.stop();
	}

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.port());
	}

	static final AtomicInteger chainExchanges = new AtomicInteger();

	@TestConfiguration(proxyBeanMethods = false)
	static class ChainCounter {

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		WebFilter chainCounter() {
			return ChainExchanges.counting(chainExchanges, (path) -> true);
		}

	}

	@LocalServerPort
	int port;

	@Test
	void aRequestTheFrontFindsSampledIsSampledByTheChainOnTheSameDraw() {
		WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		int requests = 400;
		for (int i = 0; i < requests; i++) {
			client.get().uri("/old/item/" + i).exchange().expectStatus().isOk();
		}

		List<String> traceparents = legacy.getAllServeEvents()
			.stream()
			.map((event) -> event.getRequest().getHeader("traceparent"))
			.toList();
		long sampled = traceparents.stream().filter((traceparent) -> traceparent.endsWith("-01")).count();
		assertThat(traceparents).hasSize(requests)
			.allMatch((traceparent) -> traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"));
		assertThat(sampled).as("every request through the chain, and only those, sampled")
			.isEqualTo(chainExchanges.get());
		// a probability of 0.5, not 0.25: 400 draws land within 60 (six standard
		// deviations) of 200 but for about one run in a billion
		assertThat(sampled).isBetween(140L, 260L);
	}

}
