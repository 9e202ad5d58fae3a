package dev.strangler.gateway.route;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Cost of finding the route of a request in a table of 20 routes: the compiled,
 * most-specific-first array ({@link RouteTable#find}) against the stream over routes it
 * replaced ({@code streams}, kept here as the baseline), for a routed and an unrouted
 * path. Run:
 * {@code ./mvnw -pl gateway -am -Pjmh -DskipTests process-test-classes -Djmh.args="RouteMatch -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouteMatchBenchmark {

	private static final Comparator<RouteMatch> MOST_SPECIFIC_FIRST = Comparator.comparing(RouteMatch::pattern,
			PathPattern.SPECIFICITY_COMPARATOR);

	private RouteTable table;

	private PathContainer routed;

	private PathContainer unrouted;

	@Setup
	public void setUp() {
		List<Route> routes = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			routes.add(route("service-" + i, "/api/service-" + i + "/**", "/api/service-" + i + "/{id}/details"));
		}
		this.table = RouteTable.of(routes);
		this.routed = PathContainer.parsePath("/api/service-17/42");
		this.unrouted = PathContainer.parsePath("/cart/items/42");
	}

	@Benchmark
	public RouteMatch compiledRouted() {
		return this.table.find(this.routed, HttpMethod.GET);
	}

	@Benchmark
	public RouteMatch compiledUnrouted() {
		return this.table.find(this.unrouted, HttpMethod.GET);
	}

	@Benchmark
	public Optional<RouteMatch> streamsRouted() {
		return streams(this.routed);
	}

	@Benchmark
	public Optional<RouteMatch> streamsUnrouted() {
		return streams(this.unrouted);
	}

	/** The matching before the table was compiled. */
	private Optional<RouteMatch> streams(PathContainer path) {
		return this.table.routes()
			.stream()
			.filter((route) -> route.match().allows(HttpMethod.GET))
			.flatMap((route) -> route.match().mostSpecificMatch(path).map((p) -> new RouteMatch(route, p)).stream())
			.min(MOST_SPECIFIC_FIRST);
	}

	private static Route route(String id, String... paths) {
		Route.Match match = new Route.Match(List.of(paths).stream().map(PathPatternParser.defaultInstance::parse).toList(),
				Set.of());
		return new Route(id, "", "bench.yml", match, URI.create("http://legacy.test"), null, Stage.LEGACY,
				Route.Rollout.DEFAULT, Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

}
