package dev.strangler.gateway.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.strangler.gateway.admin.MigrationAdmin;
import dev.strangler.gateway.compare.DiffRecord;
import dev.strangler.gateway.state.Actor;
import dev.strangler.gateway.state.AuditLog;
import dev.strangler.gateway.state.OverrideStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard over real HTTP: served on the management port only, behind a login form
 * for the admin user, with CSRF tokens on every change, and changes made through the same
 * audited override service as the admin API. The browser scenario is {@code DashboardIT}
 * in e2e.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret", "strangler.routes.poll-interval=0" })
class DashboardIntegrationTests {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	static final Path STATE_DIR = temporaryDirectory("state");

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@RegisterExtension
	static WireMockExtension legacy = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@RegisterExtension
	static WireMockExtension target = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.getPort());
		registry.add("test.target-url", () -> "http://127.0.0.1:" + target.getPort());
		registry.add("strangler.routes.location", () -> "classpath:routes/dashboard/");
		registry.add("strangler.state.dir", STATE_DIR::toString);
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	OverrideStore store;

	@Autowired
	AuditLog auditLog;

	@Autowired
	MigrationAdmin admin;

	WebTestClient management;

	WebTestClient traffic;

	@BeforeEach
	void clients() {
		this.management = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		this.traffic = WebTestClient.bindToServer()
			.responseTimeout(TIMEOUT)
			.baseUrl("http://127.0.0.1:" + this.port)
			.build();
		legacy.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from legacy")));
		target.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from target")));
		legacy.stubFor(get(urlPathEqualTo("/api/orders/1")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":1,\"total\":10,\"lines\":[{\"sku\":\"a\"}]}")));
		target.stubFor(get(urlPathEqualTo("/api/orders/1")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":1,\"total\":\"10\",\"lines\":[{\"sku\":\"a\"}]}")));
	}

	@AfterEach
	void clearOverrides() {
		for (String routeId : this.store.snapshot().overrides().keySet()) {
			this.store.clear(routeId, Actor.automatic("test-cleanup"), "");
		}
	}

	@Test
	void anAnonymousVisitorIsSentToTheLoginPage() {
		this.management.get()
			.uri("/dashboard/")
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("/dashboard/login");
		this.management.get()
			.uri("/dashboard/routes/catalog")
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("/dashboard/login");
	}

	@Test
	void theLoginPageAndStaticFilesNeedNoSessionAndForbidFraming() {
		this.management.get()
			.uri("/dashboard/login")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Frame-Options", "DENY")
			.expectHeader()
			.value("Content-Security-Policy", (csp) -> assertThat(csp).contains("default-src 'self'"))
			.expectBody(String.class)
			.value((html) -> assertThat(html).contains("name=\"_csrf\"").contains("name=\"password\""));
		this.management.get().uri("/dashboard/static/dashboard.js").exchange().expectStatus().isOk();
	}

	@Test
	void aWrongPasswordIsRefused() {
		Session session = Session.open(this.management);
		this.management.post()
			.uri("/dashboard/login")
			.cookie(Session.COOKIE, session.cookie)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("username", "ops").with("password", "guess").with("_csrf", session.csrf))
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("/dashboard/login?error");
	}

	@Test
	void theBoardListsEveryRouteWithItsStage() {
		Session session = Session.signIn(this.management);
		String board = session.get("/dashboard/")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(board).contains("id=\"route-catalog\"").contains("id=\"route-orders\"").contains("unrouted");
		// most advanced first: orders (shadow) before catalog (legacy)
		assertThat(board.indexOf("route-orders")).isLessThan(board.indexOf("route-catalog"));
	}

	@Test
	void settingAnOverrideGoesThroughTheAuditedServiceAsTheSignedInUser() {
		Session session = Session.signIn(this.management);
		session.post("/dashboard/routes/catalog/override", "stage", "canary", "percent", "25", "reason", "ramp up")
			.expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/dashboard/routes/catalog?changed=override");
		assertThat(this.store.snapshot().get("catalog")).hasValueSatisfying((override) -> {
			assertThat(override.who()).isEqualTo("ops");
			assertThat(override.reason()).isEqualTo("ramp up");
		});
		assertThat(this.auditLog.recent("catalog", 1)).singleElement()
			.satisfies((entry) -> assertThat(entry.who()).isEqualTo("ops"));
		String page = session.get("/dashboard/routes/catalog")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("canary 25 %").contains("ramp up");
	}

	@Test
	void aChangeWithoutTheCsrfTokenIsRefused() {
		Session session = Session.signIn(this.management);
		this.management.post()
			.uri("/dashboard/routes/catalog/override")
			.cookie(Session.COOKIE, session.cookie)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("stage", "migrated").with("reason", "forged").with("confirmed", "yes"))
			.exchange()
			.expectStatus()
			.isForbidden();
		assertThat(this.store.snapshot().get("catalog")).isEmpty();
	}

	@Test
	void cuttingOverAsksForAConfirmationFirst() {
		Session session = Session.signIn(this.management);
		String confirm = session.post("/dashboard/routes/catalog/override", "stage", "migrated", "reason", "done")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(confirm).contains("id=\"confirm-form\"").contains("cut over");
		assertThat(this.store.snapshot().get("catalog")).isEmpty();
		session.post("/dashboard/routes/catalog/override", "stage", "migrated", "reason", "done", "confirmed", "yes")
			.expectStatus()
			.isSeeOther();
		assertThat(this.store.snapshot().get("catalog")).isPresent();
	}

	@Test
	void invalidInputIsShownAndChangesNothing() {
		Session session = Session.signIn(this.management);
		String page = session
			.post("/dashboard/routes/catalog/override", "stage", "canary", "percent", "250", "reason", "typo")
			.expectStatus()
			.isBadRequest()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("id=\"error\"").contains("percent");
		session.post("/dashboard/routes/catalog/override", "stage", "canary", "percent", "5", "reason", " ")
			.expectStatus()
			.isBadRequest();
		assertThat(this.store.snapshot().get("catalog")).isEmpty();
	}

	@Test
	void theCacheCanBeEmptied() {
		Session session = Session.signIn(this.management);
		session.post("/dashboard/routes/catalog/cache/evict")
			.expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/dashboard/routes/catalog?changed=evicted");
		session.post("/dashboard/routes/orders/cache/evict").expectStatus().isEqualTo(409);
	}

	@Test
	void aMismatchOpensSideBySideWithItsDifferingPathHighlighted() {
		this.traffic.get().uri("/api/orders/1").exchange().expectStatus().isOk();
		await().atMost(TIMEOUT).until(() -> !this.admin.diffs("orders").isEmpty());
		DiffRecord diff = this.admin.diffs("orders").get(0);
		Session session = Session.signIn(this.management);
		String route = session.get("/dashboard/routes/orders")
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(route).contains("$.total").contains("class=\"open-diff\"");
		String page = session.get("/dashboard/routes/orders/diff?at=" + diff.time())
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("<span class=\"line differs\" data-path=\"$.total\"")
			.contains("data-path=\"$.lines[0].sku\"")
			.doesNotContain("class=\"line differs\" data-path=\"$.id\"")
			.contains("- &#39;$.total&#39;");
		session.get("/dashboard/routes/orders/diff?at=2000-01-01T00:00:00Z").expectStatus().isNotFound();
	}

	@Test
	void theTrafficPortServesNoDashboard() {
		this.traffic.get()
			.uri("/dashboard/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("from legacy");
	}

	private static Path temporaryDirectory(String name) {
		try {
			return Files.createTempDirectory("dashboard-" + name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A signed-in browser, reduced to its session cookie and CSRF token. */
	private static final class Session {

		static final String COOKIE = "STRANGLER_DASHBOARD_SESSION";

		private final WebTestClient client;

		private final String cookie;

		private final String csrf;

		private Session(WebTestClient client, String cookie, String csrf) {
			this.client = client;
			this.cookie = cookie;
			this.csrf = csrf;
		}

		static Session open(WebTestClient client) {
			EntityExchangeResult<String> login = client.get()
				.uri("/dashboard/login")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult();
			return new Session(client, cookie(login, null), csrf(login.getResponseBody()));
		}

		static Session signIn(WebTestClient client) {
			Session anonymous = open(client);
			EntityExchangeResult<byte[]> login = client.post()
				.uri("/dashboard/login")
				.cookie(COOKIE, anonymous.cookie)
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData("username", "ops")
					.with("password", "s3cret")
					.with("_csrf", anonymous.csrf))
				.exchange()
				.expectStatus()
				.isFound()
				.expectHeader()
				.location("/dashboard/")
				.expectBody()
				.returnResult();
			// a new session id on sign-in (no fixation); a page gives its token
			String cookie = cookie(login, anonymous.cookie);
			String page = client.get()
				.uri("/dashboard/")
				.cookie(COOKIE, cookie)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			return new Session(client, cookie, csrf(page));
		}

		WebTestClient.ResponseSpec get(String path) {
			return this.client.get().uri(path).cookie(COOKIE, this.cookie).exchange();
		}

		WebTestClient.ResponseSpec post(String path, String... fields) {
			var form = BodyInserters.fromFormData("_csrf", this.csrf);
			for (int i = 0; i < fields.length; i += 2) {
				form = form.with(fields[i], fields[i + 1]);
			}
			return this.client.post()
				.uri(path)
				.cookie(COOKIE, this.cookie)
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(form)
				.exchange();
		}

		private static String cookie(EntityExchangeResult<?> result, String previous) {
			ResponseCookie cookie = result.getResponseCookies().getFirst(COOKIE);
			if (cookie == null) {
				assertThat(previous).as("session cookie in %s", result.getResponseHeaders().get(HttpHeaders.SET_COOKIE))
					.isNotNull();
				return previous;
			}
			assertThat(cookie.getPath()).isEqualTo("/dashboard/");
			assertThat(cookie.isHttpOnly()).isTrue();
			return cookie.getValue();
		}

		private static String csrf(String html) {
			Matcher matcher = CSRF.matcher(html);
			assertThat(matcher.find()).as("CSRF token in %s", html).isTrue();
			return matcher.group(1);
		}

	}

}
