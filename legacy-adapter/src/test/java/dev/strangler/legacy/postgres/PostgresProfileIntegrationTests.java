package dev.strangler.legacy.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strangler.legacy.LegacyShopApplication;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.PostgreSQLContainer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import dev.strangler.testsupport.DockerRequirement;

/**
 * The monolith on PostgreSQL ({@code postgres} profile, a {@code postgres:15} container)
 * next to the monolith on its embedded H2: Flyway migrates both, both hold the same seed,
 * and every catalog request of the contract corpus gets the same answer from both.
 */
@ExtendWith(DockerRequirement.class)
class PostgresProfileIntegrationTests {

	private static final List<String> TABLES = List.of("categories", "products", "inventory", "customers", "orders",
			"order_lines");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private static PostgreSQLContainer<?> postgres;

	private static ConfigurableApplicationContext onPostgres;

	private static ConfigurableApplicationContext onH2;

	@BeforeAll
	static void startBothShops() {
		postgres = new PostgreSQLContainer<>("postgres:15").withDatabaseName("shop")
			.withUsername("shop")
			.withPassword("shop-secret");
		postgres.start();
		onPostgres = shop("postgres", "--spring.datasource.url=" + postgres.getJdbcUrl(),
				"--spring.datasource.username=" + postgres.getUsername(),
				"--spring.datasource.password=" + postgres.getPassword());
		// A database of its own: other test classes in this JVM may have placed orders in
		// "shop".
		onH2 = shop("default",
				"--spring.datasource.url=jdbc:h2:mem:parity-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

	@AfterAll
	static void stopBothShops() {
		Stream.of(onH2, onPostgres).filter((context) -> context != null).forEach(ConfigurableApplicationContext::close);
		if (postgres != null) {
			postgres.stop();
		}
	}

	private static ConfigurableApplicationContext shop(String profile, String... args) {
		return new SpringApplicationBuilder(LegacyShopApplication.class).profiles(profile)
			.run(Stream.concat(Stream.of("--server.port=0"), Stream.of(args)).toArray(String[]::new));
	}

	/**
	 * Every request of the recorded catalog contract, plus reads outside the catalog.
	 */
	static Stream<String> requests() throws IOException {
		try (InputStream cases = PostgresProfileIntegrationTests.class
			.getResourceAsStream("/contract/catalog/cases.json")) {
			assertThat(cases).as("contract/catalog/cases.json on the test classpath").isNotNull();
			List<String> paths = JSON.readTree(cases).findValuesAsText("path");
			assertThat(paths).as("contract cases").isNotEmpty();
			return Stream.concat(paths.stream(),
					Stream.of("/api/customers/1", "/api/customers/100", "/api/orders/1", "/api/orders/200"));
		}
	}

	@Test
	void flywayAppliesEveryMigrationOnPostgresAsOnH2() {
		Flyway postgresFlyway = onPostgres.getBean(Flyway.class);

		assertThat(onPostgres.getBean(JdbcTemplate.class).queryForObject("select version()", String.class))
			.startsWith("PostgreSQL 15");
		assertThat(postgresFlyway.info().pending()).isEmpty();
		assertThat(versions(postgresFlyway)).isNotEmpty().isEqualTo(versions(onH2.getBean(Flyway.class)));
		assertThat(postgresFlyway.info().applied()).allSatisfy(
				(migration) -> assertThat(migration.getState().isFailed()).as("%s failed", migration.getScript())
					.isFalse());
	}

	@Test
	void theSeedHasTheDocumentedSizeOnPostgres() {
		JdbcTemplate jdbc = onPostgres.getBean(JdbcTemplate.class);

		assertThat(count(jdbc, "products")).isGreaterThanOrEqualTo(1000);
		assertThat(count(jdbc, "categories")).isGreaterThanOrEqualTo(10);
		assertThat(count(jdbc, "customers")).isEqualTo(100);
	}

	@Test
	void bothDatabasesHoldTheSameSeed() {
		JdbcTemplate postgresJdbc = onPostgres.getBean(JdbcTemplate.class);
		JdbcTemplate h2Jdbc = onH2.getBean(JdbcTemplate.class);

		for (String table : TABLES) {
			assertThat(count(postgresJdbc, table)).as("rows in %s", table).isEqualTo(count(h2Jdbc, table));
		}
		// Named columns: PostgreSQL calls every unnamed one "?column?", and the row map
		// keeps one.
		String checksums = "select (select sum(price) from products) as prices,"
				+ " (select sum(quantity) from inventory) as stock, (select sum(total) from orders) as totals,"
				+ " (select count(distinct email) from customers) as emails";
		assertThat(postgresJdbc.queryForList(checksums).get(0).values().stream().map(String::valueOf).toList())
			.isEqualTo(h2Jdbc.queryForList(checksums).get(0).values().stream().map(String::valueOf).toList());
	}

	@ParameterizedTest
	@MethodSource("requests")
	void postgresAnswersEveryReadAsH2Does(String request) {
		HttpResponse<String> fromPostgres = get(onPostgres, request);
		HttpResponse<String> fromH2 = get(onH2, request);

		assertThat(fromPostgres.statusCode()).as("status").isEqualTo(fromH2.statusCode());
		assertThat(fromPostgres.headers().firstValue("Content-Type"))
			.isEqualTo(fromH2.headers().firstValue("Content-Type"));
		assertThat(comparable(fromPostgres.body())).as("body").isEqualTo(comparable(fromH2.body()));
	}

	@Test
	void anOrderPlacedOnPostgresIsStoredAndNumberedAsOnH2() {
		String order = "{\"customerId\":7,\"lines\":[{\"productId\":3,\"quantity\":2},{\"productId\":42,\"quantity\":1}]}";

		HttpResponse<String> fromPostgres = post(onPostgres, "/api/orders", order);
		HttpResponse<String> fromH2 = post(onH2, "/api/orders", order);

		assertThat(fromPostgres.statusCode()).as("status").isEqualTo(201).isEqualTo(fromH2.statusCode());
		assertThat(fromPostgres.headers().firstValue("Location")).isEqualTo(fromH2.headers().firstValue("Location"));
		assertThat(comparable(fromPostgres.body())).isEqualTo(comparable(fromH2.body()));
		assertThat(comparable(get(onPostgres, "/api/products/3").body()))
			.isEqualTo(comparable(get(onH2, "/api/products/3").body()));
	}

	private static List<String> versions(Flyway flyway) {
		return Stream.of(flyway.info().applied()).map(MigrationInfo::getVersion).map(String::valueOf).toList();
	}

	private static long count(JdbcTemplate jdbc, String table) {
		Long rows = jdbc.queryForObject("select count(*) from " + table, Long.class);
		return (rows != null) ? rows : 0;
	}

	/**
	 * The body as JSON without the values that differ between any two calls: the
	 * listing's {@code generatedAt} and a new order's {@code createdAt}.
	 */
	private static JsonNode comparable(String body) {
		try {
			JsonNode json = JSON.readTree(body);
			if (json instanceof ObjectNode object) {
				object.remove(List.of("generatedAt", "createdAt"));
			}
			return json;
		}
		catch (IOException ex) {
			throw new IllegalStateException("not JSON: " + body, ex);
		}
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext shop, String path) {
		return send(HttpRequest.newBuilder(uri(shop, path)).GET());
	}

	private static HttpResponse<String> post(ConfigurableApplicationContext shop, String path, String json) {
		return send(HttpRequest.newBuilder(uri(shop, path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private static URI uri(ConfigurableApplicationContext shop, String path) {
		int port = ((WebServerApplicationContext) shop).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		HttpRequest built = request.timeout(Duration.ofSeconds(15)).build();
		try {
			return HTTP.send(built, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(built.method() + " " + built.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(built.method() + " " + built.uri() + " interrupted", ex);
		}
	}

}
