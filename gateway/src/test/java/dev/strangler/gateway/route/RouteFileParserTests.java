package dev.strangler.gateway.route;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class RouteFileParserTests {

	private static final URI DEFAULT_LEGACY = URI.create("http://legacy.test:8081");

	private final MockEnvironment environment = new MockEnvironment();

	private final RouteFileParser parser = new RouteFileParser(this.environment, DEFAULT_LEGACY);

	private final List<RouteError> errors = new ArrayList<>();

	private List<Route> parse(String yaml) {
		return this.parser.parse("catalog.yml", yaml, this.errors);
	}

	private List<String> errorsOf(String yaml) {
		parse(yaml);
		return this.errors.stream().map(RouteError::toString).toList();
	}

	@Nested
	class ValidFiles {

		@Test
		void minimalRouteGetsTheDocumentedDefaults() {
			List<Route> routes = parse("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					""");
			assertThat(RouteFileParserTests.this.errors).isEmpty();
			Route route = routes.get(0);
			assertThat(route.source()).isEqualTo("catalog.yml");
			assertThat(route.description()).isEmpty();
			assertThat(route.legacy()).isEqualTo(DEFAULT_LEGACY);
			assertThat(route.target()).isNull();
			assertThat(route.match().methods()).isEmpty();
			assertThat(route.rollout()).isEqualTo(Route.Rollout.DEFAULT);
			assertThat(route.shadow()).isEqualTo(Route.Shadow.DEFAULT);
			assertThat(route.shadow().methods()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
			assertThat(route.compare()).isEqualTo(Route.Compare.DEFAULT);
			assertThat(route.cache()).isNull();
			assertThat(route.resilience()).isEqualTo(Route.Resilience.DEFAULT);
		}

		@Test
		void everyBlockIsReadWithSpringDurationsAndSizes() {
			List<Route> routes = parse("""
					routes:
					  - id: catalog
					    description: Catalog reads
					    match:
					      paths: [/api/products, /api/products/**]
					      methods: [GET, head]
					    legacy: http://legacy.test/shop
					    target: https://catalog.test:8443
					    stage: canary
					    rollout:
					      percent: 0.5
					      stickyBy: cookie:session
					    shadow:
					      percent: 10
					      methods: [GET, POST]
					      timeout: 250ms
					    compare:
					      ignore: [$.generatedAt, $..etag]
					      headers: [Content-Type]
					      arrayOrder: ignore
					      numericTolerance: 0.01
					    cache:
					      ttl: 1m
					      maxEntries: 5
					      maxBytes: 64MB
					      vary: [Accept]
					    resilience:
					      timeout: 2s
					      failureRateThreshold: 25
					      slowCallThreshold: 800ms
					      openStateWait: 10s
					      retries: 2
					      fallbackToLegacy: false
					""");
			assertThat(RouteFileParserTests.this.errors).isEmpty();
			Route route = routes.get(0);
			assertThat(route.match().methods()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
			assertThat(route.legacy()).isEqualTo(URI.create("http://legacy.test/shop"));
			assertThat(route.target()).isEqualTo(URI.create("https://catalog.test:8443"));
			assertThat(route.stage()).isEqualTo(Stage.CANARY);
			assertThat(route.rollout().percent().basisPoints()).isEqualTo(50);
			assertThat(route.rollout().stickyBy()).isEqualTo(new StickyKey(StickyKey.Source.COOKIE, "session"));
			assertThat(route.shadow().timeout()).isEqualTo(Duration.ofMillis(250));
			assertThat(route.shadow().methods()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.POST);
			assertThat(route.compare().ignore()).hasSize(2);
			assertThat(route.compare().arrayOrder()).isEqualTo(Route.ArrayOrder.IGNORE);
			assertThat(route.cache().ttl()).isEqualTo(Duration.ofMinutes(1));
			assertThat(route.cache().maxBytes()).isEqualTo(DataSize.ofMegabytes(64));
			assertThat(route.resilience().retries()).isEqualTo(2);
			assertThat(route.resilience().fallbackToLegacy()).isFalse();
		}

		@Test
		void legacyIsUnguardedUnlessTheRouteOptsIn() {
			List<Route> routes = parse("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    resilience:
					      timeout: 2s
					""");
			assertThat(RouteFileParserTests.this.errors).isEmpty();
			assertThat(routes.get(0).resilience().legacy()).isNull();
		}

		@Test
		void aLegacyGuardBlockIsReadWithItsDefaultsForMissingKeys() {
			List<Route> routes = parse("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    resilience:
					      legacy:
					        failureRateThreshold: 80
					        maxConcurrentCalls: 500
					""");
			assertThat(RouteFileParserTests.this.errors).isEmpty();
			Route.LegacyGuard guard = routes.get(0).resilience().legacy();
			assertThat(guard).isEqualTo(new Route.LegacyGuard(80, Route.LegacyGuard.DEFAULT.slowCallThreshold(),
					Route.LegacyGuard.DEFAULT.openStateWait(), 500));
		}

		@Test
		void anEmptyLegacyGuardBlockGuardsWithTheDefaults() {
			List<Route> routes = parse("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    resilience:
					      legacy: {}
					""");
			assertThat(RouteFileParserTests.this.errors).isEmpty();
			assertThat(routes.get(0).resilience().legacy()).isEqualTo(Route.LegacyGuard.DEFAULT);
		}

		@Test
		void placeholdersResolveFromTheEnvironmentOrTheirDefault() {
			RouteFileParserTests.this.environment.setProperty("CATALOG_URL", "http://catalog.test:9000");
			List<Route> routes = parse("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    legacy: ${LEGACY_URL:http://localhost:8081}
					    target: ${CATALOG_URL:http://localhost:8082}
					    stage: ${CATALOG_STAGE:shadow}
					""");
			assertThat(RouteFileParserTests.this.errors).isEmpty();
			assertThat(routes.get(0).legacy()).isEqualTo(URI.create("http://localhost:8081"));
			assertThat(routes.get(0).target()).isEqualTo(URI.create("http://catalog.test:9000"));
			assertThat(routes.get(0).stage()).isEqualTo(Stage.SHADOW);
		}

		@Test
		void anEmptyFileHoldsNoRoutes() {
			assertThat(parse("")).isEmpty();
			assertThat(RouteFileParserTests.this.errors).isEmpty();
		}

	}

	@Nested
	class InvalidFiles {

		@Test
		void unknownKeyNamesTheKeyAndTheAcceptedOnes() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    rollout:
					      percnt: 5
					""")).containsExactly(
					"catalog.yml › catalog › rollout.percnt: unknown key, expected one of percent, stickyBy");
		}

		@Test
		void unknownTopLevelAndRouteKeysAreRejected() {
			assertThat(errorsOf("""
					rotues: []
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    colour: blue
					""")).containsExactly("catalog.yml › rotues: unknown key, expected one of routes",
					"catalog.yml › catalog › colour: unknown key, expected one of cache, compare, description, id, "
							+ "legacy, match, progression, resilience, rollout, shadow, stage, target");
		}

		@Test
		void badStageListsTheStages() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: blue
					""")).containsExactly(
					"catalog.yml › catalog › stage: must be one of legacy, shadow, canary, migrated (was blue)");
		}

		@Test
		void percentOutsideZeroToHundredIsRejected() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    target: http://catalog.test
					    stage: canary
					    rollout:
					      percent: 150
					    shadow:
					      percent: -1
					""")).containsExactly(
					"catalog.yml › catalog › rollout.percent: must be between 0 and 100 (was 150)",
					"catalog.yml › catalog › shadow.percent: must be between 0 and 100 (was -1)");
		}

		@Test
		void malformedOrNonHttpUrlsAreRejected() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    legacy: not a url
					    target: ftp://catalog.test
					    stage: migrated
					""")).containsExactly(
					"catalog.yml › catalog › legacy: must be an absolute http or https URL (was not a url)",
					"catalog.yml › catalog › target: must be an absolute http or https URL (was ftp://catalog.test)");
		}

		@Test
		void stagesServedOrMirroredByTheTargetRequireOne() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: shadow
					""")).containsExactly("catalog.yml › catalog › target: is required when stage is shadow");
		}

		@Test
		void idMustMatchThePatternAndIsReportedByPosition() {
			assertThat(errorsOf("""
					routes:
					  - id: Catalog_1
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					""")).containsExactly("catalog.yml › routes[0] › id: must match [a-z0-9-]+ (was Catalog_1)");
		}

		@Test
		void reloadIsAReservedId() {
			assertThat(errorsOf("""
					routes:
					  - id: reload
					    match:
					      paths: [/reload]
					    stage: legacy
					"""))
				.containsExactly("catalog.yml › reload › id: 'reload' is reserved for the admin API (was reload)");
		}

		@Test
		void unroutedIsAReservedId() {
			assertThat(errorsOf("""
					routes:
					  - id: unrouted
					    match:
					      paths: [/api/unrouted/**]
					    stage: legacy
					""")).containsExactly(
					"catalog.yml › unrouted › id: 'unrouted' is reserved: it names requests no route claims in metrics and logs (was unrouted)");
		}

		@Test
		void invalidPathPatternIsRejectedWithItsPosition() {
			List<String> errors = errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products, "/api/{id"]
					    stage: legacy
					""");
			assertThat(errors).singleElement()
				.asString()
				.startsWith("catalog.yml › catalog › match.paths[1]: is not a valid path pattern")
				.endsWith("(was /api/{id)");
		}

		@Test
		void unknownMethodIsRejected() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					      methods: [GET, FETCH]
					    stage: legacy
					""")).containsExactly("catalog.yml › catalog › match.methods[1]: must be one of "
					+ "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, TRACE (was FETCH)");
		}

		@Test
		void stickyByMustNameASource() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    rollout:
					      stickyBy: session
					""")).containsExactly("catalog.yml › catalog › rollout.stickyBy: "
					+ "must be header:NAME, cookie:NAME, query:NAME or client-ip (was session)");
		}

		@Test
		void badDurationsAndSizesAreRejected() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    shadow:
					      timeout: soon
					    cache:
					      maxBytes: lots
					    resilience:
					      openStateWait: 0s
					""")).containsExactly(
					"catalog.yml › catalog › shadow.timeout: must be a duration such as 250ms, 2s or 1m (was soon)",
					"catalog.yml › catalog › cache.maxBytes: must be a size such as 512KB or 64MB (was lots)",
					"catalog.yml › catalog › resilience.openStateWait: must be positive (was 0s)");
		}

		@Test
		void badLegacyGuardValuesAndKeysAreRejected() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    resilience:
					      legacy:
					        failureRateThreshold: 150
					        slowCallThreshold: never
					        openStateWait: 0s
					        maxConcurrentCalls: 0
					        timeout: 5s
					""")).containsExactlyInAnyOrder(
					"catalog.yml › catalog › resilience.legacy.timeout: unknown key, expected one of "
							+ "failureRateThreshold, maxConcurrentCalls, openStateWait, slowCallThreshold",
					"catalog.yml › catalog › resilience.legacy.failureRateThreshold: must be between 1 and 100 (was 150)",
					"catalog.yml › catalog › resilience.legacy.slowCallThreshold: "
							+ "must be a duration such as 250ms, 2s or 1m (was never)",
					"catalog.yml › catalog › resilience.legacy.openStateWait: must be positive (was 0s)",
					"catalog.yml › catalog › resilience.legacy.maxConcurrentCalls: must be between 1 and 100000 (was 0)");
		}

		@Test
		void aLegacyGuardMustBeAMapping() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: legacy
					    resilience:
					      legacy: true
					""")).containsExactly("catalog.yml › catalog › resilience.legacy: must be a mapping (was true)");
		}

		@Test
		void missingRequiredKeysAreEachReported() {
			assertThat(errorsOf("""
					routes:
					  - description: nothing else
					""")).containsExactly("catalog.yml › routes[0] › id: is required",
					"catalog.yml › routes[0] › match: is required, with at least one entry in match.paths",
					"catalog.yml › routes[0] › stage: is required, one of legacy, shadow, canary, migrated");
		}

		@Test
		void unresolvablePlaceholderIsReported() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    target: ${CATALOG_URL}
					    stage: migrated
					""")).containsExactly("catalog.yml › catalog › target: has a placeholder that cannot be resolved; "
					+ "set it in the environment or give a default as in ${NAME:default} (was ${CATALOG_URL})");
		}

		@Test
		void everyErrorOfEveryRouteIsCollected() {
			List<Route> routes = parse("""
					routes:
					  - id: catalog
					    match:
					      paths: [/api/products/**]
					    stage: blue
					    rollout:
					      percent: 101
					  - id: orders
					    match:
					      paths: [/api/orders/**]
					      methods: [FETCH]
					    stage: legacy
					  - id: customers
					    match:
					      paths: [/api/customers/**]
					    stage: legacy
					""");
			assertThat(routes).extracting(Route::id).containsExactly("customers");
			assertThat(RouteFileParserTests.this.errors).extracting(RouteError::route, RouteError::field)
				.containsExactly(tuple("catalog", "stage"), tuple("catalog", "rollout.percent"),
						tuple("orders", "match.methods[0]"));
		}

		@Test
		void yamlSyntaxErrorNamesTheLine() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    match: [unclosed
					""")).singleElement().asString().startsWith("catalog.yml › (yaml): is not valid YAML at line");
		}

		@Test
		void duplicateKeysInOneMappingAreAYamlError() {
			assertThat(errorsOf("""
					routes:
					  - id: catalog
					    id: orders
					""")).singleElement().asString().startsWith("catalog.yml › (yaml): is not valid YAML at line 3");
		}

	}

}
