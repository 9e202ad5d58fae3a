package dev.strangler.gateway.route;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.HttpMethod;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class RouteFileLoaderTests {

	private static final URI DEFAULT_LEGACY = URI.create("http://legacy.test:8081");

	private final MockEnvironment environment = new MockEnvironment();

	private final RouteFileLoader loader = new RouteFileLoader(new PathMatchingResourcePatternResolver(),
			this.environment, DEFAULT_LEGACY);

	@TempDir
	Path dir;

	@Test
	void theRepositoryCatalogRouteLoadsAndValidates() {
		// Surefire runs in gateway/, the route files live in the repository root.
		RouteTable table = this.loader.load("file:../routes/");
		Route catalog = table.route("catalog").orElseThrow();
		assertThat(catalog.stage()).isEqualTo(Stage.LEGACY);
		assertThat(catalog.legacy()).isEqualTo(URI.create("http://localhost:8081"));
		assertThat(catalog.target()).isEqualTo(URI.create("http://localhost:8082"));
		assertThat(catalog.match().methods()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
		assertThat(catalog.cache()).isNotNull();
		assertThat(catalog.compare().ignore()).extracting((path) -> path.getPath()).containsExactly("$['generatedAt']");
		assertThat(table.match("/api/products/42", HttpMethod.GET)).isPresent();
		assertThat(table.match("/api/categories", HttpMethod.HEAD)).isPresent();
		assertThat(table.match("/api/products/42", HttpMethod.POST)).isEmpty();
	}

	@Test
	void loadsYmlAndYamlFilesFromSubdirectoriesOfAFileLocation() throws IOException {
		write("catalog.yml", route("catalog", "/api/products/**"));
		write("orders/orders.yaml", route("orders", "/api/orders/**"));
		write("notes.txt", "not a route file");
		RouteTable table = this.loader.load(this.dir.toUri().toString());
		assertThat(table.routes()).extracting(Route::id, Route::source)
			.containsExactlyInAnyOrder(tuple("catalog", "catalog.yml"), tuple("orders", "orders/orders.yaml"));
	}

	@Test
	void loadsFromAClasspathLocation() {
		this.environment.setProperty("test.target-url", "http://target.test");
		this.environment.setProperty("test.dead-url", "http://dead.test");
		RouteTable table = this.loader.load("classpath:routes/integration/");
		assertThat(table.route("catalog-legacy")).isPresent();
	}

	@Test
	void aMissingLocationYieldsAnEmptyTable() {
		assertThat(this.loader.load(this.dir.resolve("absent").toUri().toString()).routes()).isEmpty();
	}

	@Test
	void duplicateIdsAcrossFilesNameTheFirstFile() throws IOException {
		write("a.yml", route("catalog", "/api/products/**"));
		write("b.yml", route("catalog", "/api/catalog/**"));
		assertThatExceptionOfType(InvalidRoutesException.class)
			.isThrownBy(() -> this.loader.load(this.dir.toUri().toString()))
			.satisfies((ex) -> assertThat(ex.errors()).extracting(RouteError::toString)
				.containsExactly("b.yml › catalog › id: duplicate id, already defined in a.yml (was catalog)"));
	}

	@Test
	void equallySpecificOverlappingPatternsForACommonMethodAreRejected() throws IOException {
		write("a.yml", route("products", "\"/api/{kind}/list\""));
		write("b.yml", """
				routes:
				  - id: lists
				    match:
				      paths: ["/api/{name}/list"]
				      methods: [GET]
				    stage: legacy
				""");
		assertThatExceptionOfType(InvalidRoutesException.class)
			.isThrownBy(() -> this.loader.load(this.dir.toUri().toString()))
			.satisfies((ex) -> assertThat(ex.errors()).extracting(RouteError::toString)
				.containsExactly("b.yml › lists › match.paths[0]: overlaps /api/{kind}/list of route products (a.yml) "
						+ "for GET with equal specificity, so no route clearly wins; make one pattern more specific "
						+ "(was /api/{name}/list)"));
	}

	@Test
	void equallySpecificPatternsThatCannotOverlapOrDifferInMethodAreAccepted() throws IOException {
		write("a.yml", route("orders", "/api/orders/**"));
		write("b.yml", route("trades", "/api/trades/**"));
		write("c.yml", """
				routes:
				  - id: product-writes
				    match:
				      paths: [/api/products/**]
				      methods: [POST]
				    stage: legacy
				  - id: product-reads
				    match:
				      paths: [/api/products/**]
				      methods: [GET]
				    stage: legacy
				""");
		assertThat(this.loader.load(this.dir.toUri().toString()).routes()).hasSize(4);
	}

	@Test
	void errorsOfAllFilesAreReportedTogetherAndAnalyzedForStartUp() throws IOException {
		write("a.yml", route("catalog", "/api/products/**").replace("stage: legacy", "stage: blue"));
		write("b.yml", route("orders", "/api/orders/**").replace("stage: legacy", "stage: green"));
		InvalidRoutesException ex = catchThrowableOfType(InvalidRoutesException.class,
				() -> this.loader.load(this.dir.toUri().toString()));
		assertThat(ex.errors()).hasSize(2);
		FailureAnalysis analysis = new InvalidRoutesFailureAnalyzer().analyze(ex);
		assertThat(analysis.getDescription()).contains(
				"a.yml › catalog › stage: must be one of legacy, shadow, canary, migrated (was blue)",
				"b.yml › orders › stage: must be one of legacy, shadow, canary, migrated (was green)");
		assertThat(analysis.getAction()).contains("docs/routes.md");
	}

	private void write(String name, String content) throws IOException {
		Path file = this.dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

	private static String route(String id, String path) {
		return """
				routes:
				  - id: %s
				    match:
				      paths: [%s]
				    stage: legacy
				""".formatted(id, path);
	}

}
