package dev.strangler.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real headless browser (Debian's chromium, driven by Selenium through
 * its chromedriver) against real processes: the monolith, catalog-service and a gateway,
 * with a WireMock target planted with one wrong field for the orders route. An operator
 * signs in, sees both routes, moves catalog to canary 25 % with a reason and sees the
 * effect and the audit entry, then opens a shadow mismatch and sees the differing path
 * highlighted. Without a session nothing is shown and nothing can be changed.
 *
 * <p>
 * A missing browser fails this test (never skips it): CI installs
 * {@code chromium chromium-driver}. Screenshots go to
 * {@code target/dashboard-screenshots/} (the ones in docs/images come from here).
 */
@EndToEnd
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

	private static final String PLANTED = "/api/customers/1";

	private static final WireMockServer ordersTarget = new WireMockServer(
			options().bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true));

	private static AdminGateway gateway;

	private static WebDriver browser;

	private static String plantedField;

	@BeforeAll
	static void start(E2eEnvironment env) {
		browser = headlessChromium();
		AppProcess legacy = env.legacy();
		ordersTarget.start();
		HttpResponse<byte[]> customer = Http.get(legacy.uri(PLANTED));
		assertThat(customer.statusCode()).isEqualTo(200);
		ObjectNode wrong = (ObjectNode) JsonComparison.parse(customer.body()).deepCopy();
		plantedField = firstTextField(wrong);
		wrong.put(plantedField, "planted by DashboardIT");
		ordersTarget.stubFor(get(urlPathEqualTo(PLANTED)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", customer.headers().firstValue("Content-Type").orElseThrow())
			.withBody(wrong.toString())));
		gateway = AdminGateway.start("gateway-dashboard", legacy.baseUri(),
				Map.of("catalog.yml",
						GatewaySetup.catalogRoute(GatewaySetup.Stage.LEGACY, legacy.baseUri(), env.catalog().baseUri()),
						"orders.yml", ordersRoute(legacy.baseUri())),
				"--strangler.dashboard.history-interval=1s");
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
		if (gateway != null) {
			gateway.close();
		}
		ordersTarget.stop();
	}

	@Test
	@Order(1)
	void withoutASessionTheDashboardShowsOnlyTheLoginPageAndRefusesChanges() {
		browser.get(dashboard("routes/catalog"));
		assertThat(browser.getCurrentUrl()).endsWith("/dashboard/login");
		assertThat(browser.findElements(By.id("login-form"))).hasSize(1);
		assertThat(browser.getPageSource()).doesNotContain("route-catalog");

		HttpResponse<byte[]> forged = Http
			.exchange(Http.request(gateway.process().managementUri("/dashboard/routes/catalog/override"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("stage=migrated&reason=forged&confirmed=yes"))
				.build());
		assertThat(forged.statusCode()).as("a change without session nor CSRF token").isIn(302, 401, 403);
		assertThat(gateway.admin("/actuator/migration/catalog").at("/effective/stage").asText()).isEqualTo("legacy");

		signIn("admin", "wrong");
		assertThat(browser.findElements(By.id("login-error"))).hasSize(1);
	}

	@Test
	@Order(2)
	void aSignedInOperatorSeesEveryRouteWithItsStage() {
		signIn("admin", AdminGateway.PASSWORD);
		// back to the page asked for before signing in
		assertThat(browser.getCurrentUrl()).endsWith("/dashboard/routes/catalog");
		browser.get(dashboard(""));
		assertThat(text("#route-catalog .effective")).isEqualTo("legacy");
		assertThat(text("#route-orders .effective")).isEqualTo("shadow");
		assertThat(browser.findElements(By.id("unrouted"))).hasSize(1);
	}

	@Test
	@Order(3)
	void movingCatalogToCanaryThroughThePageChangesTheSplitAndIsAudited() {
		browser.get(dashboard(""));
		clickThrough(By.cssSelector("#route-catalog a.route-link"));
		assertThat(text("#route-id")).isEqualTo("catalog");
		new Select(browser.findElement(By.id("stage-select"))).selectByValue("canary");
		WebElement percent = browser.findElement(By.id("percent-input"));
		percent.clear();
		percent.sendKeys("25");
		browser.findElement(By.id("reason-input")).sendKeys("ramp up from the dashboard");
		clickThrough(By.id("apply-override"));

		assertThat(text("#flash")).isEqualTo("Override set.");
		assertThat(text("#effective")).isEqualTo("canary 25 %");
		assertThat(text("#configured")).isEqualTo("legacy");
		assertThat(text("#override")).contains("admin").contains("ramp up from the dashboard");
		WebElement audit = browser.findElement(By.cssSelector("#audit-trail .audit-entry"));
		assertThat(audit.getText()).contains("admin").contains("ramp up from the dashboard").contains("canary 25");
		// the admin API sees the same change: one override service behind both
		assertThat(gateway.admin("/actuator/migration/catalog").at("/override/who").asText()).isEqualTo("admin");

		// requests now split (no sticky key: each is drawn), as the page then shows
		for (int i = 1; i <= 80; i++) {
			assertThat(Http.get(gateway.uri("/api/products/" + (1 + i % 5))).statusCode()).isEqualTo(200);
		}
		browser.navigate().refresh();
		assertThat(Long.parseLong(text("#target-requests"))).isPositive();
		assertThat(Long.parseLong(text("#legacy-requests"))).isPositive();
		screenshot("route-page");
		browser.get(dashboard(""));
		assertThat(text("#route-catalog .effective")).isEqualTo("canary 25 %");
		screenshot("board");
	}

	@Test
	@Order(4)
	void aShadowMismatchOpensSideBySideWithTheDifferingPathHighlighted() {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			assertThat(Http.get(gateway.uri(PLANTED)).statusCode()).isEqualTo(200);
			assertThat(gateway.admin("/actuator/migration/orders/diffs").size()).isPositive();
		});
		browser.get(dashboard("routes/orders"));
		assertThat(text("#top-paths")).contains("$." + plantedField);
		clickThrough(By.cssSelector("#diffs a.open-diff"));

		assertThat(text("#differences")).contains("$." + plantedField).contains("planted by DashboardIT");
		List<WebElement> highlighted = browser.findElements(By.cssSelector("#target-body .line.differs"));
		assertThat(highlighted).extracting((line) -> line.getDomAttribute("data-path"))
			.containsExactly("$." + plantedField);
		assertThat(highlighted.get(0).getText()).contains("planted by DashboardIT");
		assertThat(browser.findElements(By.cssSelector("#legacy-body .line.differs"))).hasSize(1);
		assertThat(browser.findElements(By.cssSelector("#legacy-body .line:not(.differs)"))).isNotEmpty();
		screenshot("diff");
	}

	private static String ordersRoute(URI legacy) {
		return """
				routes:
				  - id: orders
				    description: Order and customer reads, extracted to orders-service
				    match:
				      paths: [/api/orders/*, /api/customers/*]
				      methods: [GET, HEAD]
				    legacy: %s
				    target: %s
				    stage: shadow
				    shadow:
				      timeout: 10s
				""".formatted(legacy, ordersTarget.baseUrl());
	}

	private static String firstTextField(ObjectNode node) {
		for (Entry<String, JsonNode> field : node.properties()) {
			if (field.getValue().isTextual() && field.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
				return field.getKey();
			}
		}
		throw new AssertionError("no text field to plant a difference in: " + node);
	}

	private static void signIn(String user, String password) {
		browser.get(dashboard("login"));
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(password);
		clickThrough(By.id("sign-in"));
	}

	/**
	 * Clicks a link or a form's submit button and waits until the browser has left the
	 * page: a click does not wait for the navigation it starts (a form posts, then the
	 * browser follows a redirect), so the URL or an element read right after it can still
	 * be the old page's.
	 */
	private static void clickThrough(By clickable) {
		WebElement element = browser.findElement(clickable);
		element.click();
		new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.stalenessOf(element));
	}

	private static String dashboard(String path) {
		return gateway.process().managementUri("/dashboard/" + path).toString();
	}

	private static String text(String css) {
		return browser.findElement(By.cssSelector(css)).getText().trim();
	}

	private static void screenshot(String name) {
		// the whole page, not only what a first screen shows
		long height = (Long) ((JavascriptExecutor) browser).executeScript("return document.body.scrollHeight");
		browser.manage().window().setSize(new Dimension(1400, (int) Math.min(4000, Math.max(800, height + 40))));
		Path dir = Path.of(System.getProperty("e2e.build.dir", "target"), "dashboard-screenshots");
		try {
			Files.createDirectories(dir);
			Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			browser.manage().window().setSize(new Dimension(1400, 1000));
		}
	}

	/**
	 * Debian's chromium through its own chromedriver, both named explicitly so that
	 * Selenium Manager never looks for (or downloads) anything. Missing, they fail the
	 * test with what to install.
	 */
	private static WebDriver headlessChromium() {
		Path chromium = Path.of(System.getProperty("e2e.chromium", "/usr/bin/chromium"));
		Path driver = Path.of(System.getProperty("e2e.chromedriver", "/usr/bin/chromedriver"));
		assertThat(Files.isExecutable(chromium) && Files.isExecutable(driver))
			.as("the browser tests need %s and %s: apt-get install -y chromium chromium-driver", chromium, driver)
			.isTrue();
		System.setProperty("webdriver.chrome.driver", driver.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1400,1000", "--lang=en");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver chrome = new ChromeDriver(service, options);
		chrome.manage().timeouts().implicitlyWait(Duration.ofSeconds(5)).pageLoadTimeout(Duration.ofSeconds(30));
		return chrome;
	}

}
