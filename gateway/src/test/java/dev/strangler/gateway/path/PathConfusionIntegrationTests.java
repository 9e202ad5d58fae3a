package dev.strangler.gateway.path;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.strangler.gateway.support.RawHttpConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The path-confusion table of docs/routes.md, for a route in every stage: each spelling
 * either reaches exactly one backend with the path the route decision was made on, or is
 * refused with a {@code 400} problem and reaches none. No spelling sends a request to the
 * target outside its route, nor keeps one inside a route while the backend reads another
 * path. Raw sockets, so the paths go exactly as written.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"strangler.routes.location=classpath:routes/path-stages/",
				// a shadow row's mirror must not also ask legacy again (noise learning,
				// 10 %
				// of mirrored GETs by default): legacy is expected to get the path once
				"strangler.shadow.noise-detection.sample-percent=0" })
class PathConfusionIntegrationTests {

	/** Where a route's own requests go, stage by stage (canary at 100 %). */
	enum Stage {

		LEGACY("/legacy-stage", Backend.LEGACY), SHADOW("/shadow-stage", Backend.LEGACY),
		CANARY("/canary-stage", Backend.TARGET), MIGRATED("/migrated-stage", Backend.TARGET);

		final String prefix;

		final Backend serves;

		Stage(String prefix, Backend serves) {
			this.prefix = prefix;
			this.serves = serves;
		}

	}

	enum Backend {

		LEGACY, TARGET,
		/** A 400 problem from the gateway. */
		NONE,
		/**
		 * A 400 from Reactor Netty, which cannot parse the request target into a URI:
		 * empty, before any of the gateway's code runs (docs/routes.md, "Edge limits").
		 */
		NONE_UNPARSABLE

	}

	/**
	 * One row: what is sent, which backend gets it and with what path ({@code NONE}: a
	 * 400 problem).
	 */
	record Row(Stage stage, String sent, Backend backend, String received, boolean routed) {

		@Override
		public String toString() {
			return this.stage + " " + this.sent + " → "
					+ ((this.received == null) ? "400" : this.backend + " " + this.received);
		}

	}

	/** The table: {@code P} is the route's prefix, {@code /elsewhere} no route's. */
	static Stream<Row> table() {
		return Stream.of(Stage.values()).flatMap((stage) -> {
			String p = stage.prefix;
			String upper = p.toUpperCase(Locale.ROOT);
			String encodedFirstLetter = "/%" + Integer.toHexString(p.charAt(1)).toUpperCase(Locale.ROOT)
					+ p.substring(2);
			return Stream.of(route(stage, p + "/1", p + "/1"),
					// dot segments: decided and forwarded on the resolved path
					legacy(stage, p + "/../elsewhere/1", "/elsewhere/1"),
					route(stage, "/elsewhere/../" + p.substring(1) + "/1", p + "/1"),
					route(stage, p + "/./1", p + "/1"), route(stage, p + "/1/.", p + "/1/"),
					refused(stage, p + "/../../elsewhere/1"),
					// slash runs merged
					route(stage, p + "//1", p + "/1"), route(stage, "/" + p + "/1", p + "/1"),
					// encoded dots and slashes, path parameters, backslashes
					refused(stage, p + "/%2e%2e/elsewhere/1"), refused(stage, p + "/%2E./elsewhere/1"),
					refused(stage, p + "/..%2Felsewhere/1"), refused(stage, p + "%2F1"),
					refused(stage, p + "/1;jsessionid=4F2A9C"), refused(stage, p + "/..;/elsewhere/1"),
					new Row(stage, p + "/..\\elsewhere/1", Backend.NONE_UNPARSABLE, null, false),
					refused(stage, p + "/%5C..%5Celsewhere/1"),
					// overlong UTF-8 and NUL
					refused(stage, p + "/%C0%AE%C0%AE/elsewhere/1"),
					refused(stage, p + "/%E0%80%AE%E0%80%AE/elsewhere"), refused(stage, p + "/..%C0%AFelsewhere/1"),
					refused(stage, p + "/1%00"), refused(stage, p + "/1%00/../../elsewhere"),
					// names that only look like tricks: forwarded as sent
					route(stage, p + "/1.", p + "/1."), route(stage, p + "/..1", p + "/..1"),
					route(stage, encodedFirstLetter + "/1", encodedFirstLetter + "/1"),
					// matching is case-sensitive, like the backends' own routing
					legacy(stage, upper + "/1", upper + "/1"));
		});
	}

	private static Row route(Stage stage, String sent, String received) {
		return new Row(stage, sent, stage.serves, received, true);
	}

	private static Row legacy(Stage stage, String sent, String received) {
		return new Row(stage, sent, Backend.LEGACY, received, false);
	}

	private static Row refused(Stage stage, String sent) {
		return new Row(stage, sent, Backend.NONE, null, false);
	}

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
	}

	@Autowired
	List<GlobalFilter> globalFilters;

	@LocalServerPort
	int port;

	@BeforeEach
	void stubBackends() {
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
	}

	@Test
	void theBackendUrlIsTheGatewaysOwnNotSpringCloudGatewaysRouteToRequestUrl() {
		assertThat(this.globalFilters).noneMatch(RouteToRequestUrlFilter.class::isInstance)
			.anyMatch((filter) -> filter.getClass().getSimpleName().equals("BackendRoutingFilter"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("table")
	void eachSpellingReachesOneBackendWithTheDecidedPathOrNone(Row row) throws IOException {
		RawHttpConnection.Response response;
		try (RawHttpConnection connection = new RawHttpConnection(this.port, Duration.ofSeconds(20))) {
			connection.send(RawHttpConnection.get(row.sent()));
			response = connection.readResponse();
		}

		switch (row.backend()) {
			case NONE, NONE_UNPARSABLE -> {
				assertThat(response.head()).startsWith("HTTP/1.1 400");
				assertThat(response.head().toLowerCase(Locale.ROOT)).contains((row.backend() == Backend.NONE)
						? "content-type: application/problem+json" : "content-length: 0");
				assertThat(paths(legacy)).isEmpty();
				assertThat(paths(target)).isEmpty();
			}
			case LEGACY -> {
				assertThat(response.body()).isEqualTo("from legacy");
				assertThat(paths(legacy)).containsExactly(row.received());
				if (row.stage() == Stage.SHADOW && row.routed()) {
					// the mirror, sent after the answer, asks for the same path
					await().atMost(Duration.ofSeconds(20))
						.untilAsserted(() -> assertThat(paths(target)).containsExactly(row.received()));
				}
				else {
					assertThat(paths(target)).isEmpty();
				}
			}
			case TARGET -> {
				assertThat(response.body()).isEqualTo("from target");
				assertThat(paths(target)).containsExactly(row.received());
				assertThat(paths(legacy)).isEmpty();
			}
		}
	}

	private static List<String> paths(WireMockExtension backend) {
		return backend.findAll(anyRequestedFor(anyUrl())).stream().map(LoggedRequest::getUrl).toList();
	}

}
