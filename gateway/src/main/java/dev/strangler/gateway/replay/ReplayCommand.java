package dev.strangler.gateway.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.strangler.gateway.compare.CompareRules;
import dev.strangler.gateway.replay.Replayer.ReplayOutcome;
import dev.strangler.gateway.route.InvalidRoutesException;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteFileLoader;
import dev.strangler.gateway.route.RouteTable;

import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The {@code replay} command: replays recorded (or generated) requests of one route
 * against a running legacy and target, compares each pair with the route's
 * {@code compare} rules, and writes a parity report. Runs without starting the gateway.
 *
 * <pre class="code">
 * java -jar gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar replay \
 *     --route-file routes/catalog.yml --corpus data/recordings/catalog.jsonl \
 *     --legacy http://localhost:8081 --target http://localhost:8082 --max-mismatch-rate 0
 * </pre>
 *
 * Exit status: 0 when the mismatch rate is within the threshold, 1 when it is not (or
 * nothing could be replayed), 2 for a usage error.
 */
public final class ReplayCommand {

	/** Exit status: the mismatch rate is within the threshold. */
	public static final int PASSED = 0;

	/** Exit status: the mismatch rate exceeds the threshold, or nothing was replayed. */
	public static final int FAILED = 1;

	/** Exit status: the command line or an input file is wrong. */
	public static final int USAGE = 2;

	static final String USAGE_TEXT = """
			Usage: java -jar gateway-exec.jar replay --route-file <routes/x.yml> (--corpus <file.jsonl> | --generate <n>)
			         [--route <id>] [--legacy <url>] [--target <url>] [--report-dir <dir>]
			         [--max-mismatch-rate <percent>] [--allow-unsafe] [--timeout <duration>] [--max-id <n>]

			  --route-file         the route file holding the route (its compare rules and backends are used)
			  --route              the route id; may be left out when the file holds one route
			  --corpus             a corpus recorded by the gateway (strangler.record.*)
			  --generate           n GET requests built from the route's path patterns, ids 1..--max-id (100)
			  --legacy, --target   base URLs to replay against (default: the route's own)
			  --report-dir         where parity-<route>.md and TEST-parity-<route>.xml go (default target/parity)
			  --max-mismatch-rate  percent of requests allowed to differ or fail (default 0)
			  --allow-unsafe       also replay methods other than GET and HEAD (they reach both backends!)
			  --timeout            per request, Spring duration format (default 10s)
			""";

	private final PrintStream out;

	private final PrintStream err;

	private final Clock clock;

	ReplayCommand(PrintStream out, PrintStream err, Clock clock) {
		this.out = out;
		this.err = err;
		this.clock = clock;
	}

	/**
	 * Runs the command.
	 * @param args the arguments after {@code replay}
	 * @param out where the summary goes
	 * @param err where errors go
	 * @return the exit status
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		return new ReplayCommand(out, err, Clock.systemUTC()).execute(args);
	}

	int execute(String[] args) {
		ReplayOptions options;
		Route route;
		RequestSource source;
		try {
			options = ReplayOptions.parse(Arrays.asList(args));
			route = route(options);
			source = (options.corpus() != null)
					? RequestSource.corpus(options.corpus(), route.id(), options.allowUnsafe())
					: RequestSource.generated(route, options.generate(), options.maxId());
		}
		catch (IllegalArgumentException | InvalidRoutesException ex) {
			this.err.println("replay: " + ex.getMessage());
			this.err.println();
			this.err.print(USAGE_TEXT);
			return USAGE;
		}
		catch (IOException | UncheckedIOException ex) {
			this.err.println("replay: cannot read input: " + ex.getMessage());
			return USAGE;
		}
		URI legacy = (options.legacy() != null) ? options.legacy() : route.legacy();
		URI target = (options.target() != null) ? options.target() : route.target();
		if (target == null) {
			this.err.println("replay: route '" + route.id() + "' has no target: pass --target <url>");
			return USAGE;
		}
		Replayer replayer = new Replayer(legacy, target, CompareRules.from(route.compare()), options.timeout());
		Instant start = this.clock.instant();
		List<ReplayOutcome> outcomes = new ArrayList<>();
		for (ReplayRequest request : source.requests()) {
			outcomes.add(replayer.replay(request));
		}
		ParityReport report = new ParityReport(route.id(), legacy.toString(), target.toString(), source, outcomes,
				options.maxMismatchRate(), Duration.between(start, this.clock.instant()));
		try {
			Path markdown = report.writeMarkdown(options.reportDir());
			Path junit = report.writeJunit(options.reportDir());
			this.out.printf("Replayed %d requests of route '%s' (%s)%n", report.replayed(), route.id(),
					source.description());
			this.out.printf("  legacy %s  target %s%n", legacy, target);
			this.out.println("  " + report.summary());
			report.topPaths()
				.forEach((path, count) -> this.out.printf("  differs at %s in %d request(s)%n", path, count));
			this.out.printf("  report: %s, %s%n", markdown, junit);
		}
		catch (IOException ex) {
			this.err.println("replay: cannot write the report: " + ex.getMessage());
			return FAILED;
		}
		this.out.println(report.passed() ? "PASS" : "FAIL");
		return report.passed() ? PASSED : FAILED;
	}

	/**
	 * Loads the route file with the gateway's own loader and validation, placeholders
	 * resolved from the environment as the gateway would.
	 */
	private static Route route(ReplayOptions options) {
		Path file = options.routeFile().toAbsolutePath().normalize();
		if (!Files.isRegularFile(file)) {
			throw new IllegalArgumentException("--route-file " + options.routeFile() + " is not a file");
		}
		URI defaultLegacy = (options.legacy() != null) ? options.legacy() : URI.create("http://localhost:8081");
		RouteTable table = new RouteFileLoader(new PathMatchingResourcePatternResolver(), new StandardEnvironment(),
				defaultLegacy)
			.load(alone(file).toUri().toString());
		List<Route> routes = table.routes();
		if (options.route() != null) {
			return routes.stream()
				.filter((route) -> route.id().equals(options.route()))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("--route " + options.route() + " is not in "
						+ options.routeFile() + " (it has " + routes.stream().map(Route::id).toList() + ")"));
		}
		if (routes.size() != 1) {
			throw new IllegalArgumentException(
					options.routeFile() + " holds " + routes.size() + " routes: name one with --route");
		}
		return routes.get(0);
	}

	/**
	 * A directory holding a copy of the file and nothing else: the gateway's loader reads
	 * directories, and the file's neighbours are not ours to load.
	 */
	private static Path alone(Path file) {
		try {
			Path dir = Files.createTempDirectory("strangler-replay");
			Files.copy(file, dir.resolve(file.getFileName()));
			dir.toFile().deleteOnExit();
			dir.resolve(file.getFileName()).toFile().deleteOnExit();
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The command line, checked.
	 */
	record ReplayOptions(Path routeFile, String route, Path corpus, int generate, URI legacy, URI target,
			Path reportDir, BigDecimal maxMismatchRate, boolean allowUnsafe, Duration timeout, int maxId) {

		static ReplayOptions parse(List<String> args) {
			Path routeFile = null;
			String route = null;
			Path corpus = null;
			int generate = 0;
			URI legacy = null;
			URI target = null;
			Path reportDir = Path.of("target", "parity");
			BigDecimal maxMismatchRate = BigDecimal.ZERO;
			boolean allowUnsafe = false;
			Duration timeout = Duration.ofSeconds(10);
			int maxId = 100;
			for (int i = 0; i < args.size(); i++) {
				String option = args.get(i);
				if (option.equals("--allow-unsafe")) {
					allowUnsafe = true;
					continue;
				}
				String value = ((i + 1) < args.size()) ? args.get(++i) : null;
				if (value == null || value.startsWith("--")) {
					throw new IllegalArgumentException(option + " needs a value");
				}
				switch (option) {
					case "--route-file" -> routeFile = Path.of(value);
					case "--route" -> route = value;
					case "--corpus" -> corpus = Path.of(value);
					case "--generate" -> generate = positive(option, value);
					case "--legacy" -> legacy = url(option, value);
					case "--target" -> target = url(option, value);
					case "--report-dir" -> reportDir = Path.of(value);
					case "--max-mismatch-rate" -> maxMismatchRate = percent(option, value);
					case "--timeout" -> timeout = duration(option, value);
					case "--max-id" -> maxId = positive(option, value);
					default -> throw new IllegalArgumentException("unknown option " + option);
				}
			}
			if (routeFile == null) {
				throw new IllegalArgumentException("--route-file is required");
			}
			if ((corpus == null) == (generate == 0)) {
				throw new IllegalArgumentException("give exactly one of --corpus <file> and --generate <n>");
			}
			return new ReplayOptions(routeFile, route, corpus, generate, legacy, target, reportDir, maxMismatchRate,
					allowUnsafe, timeout, maxId);
		}

		private static int positive(String option, String value) {
			try {
				int number = Integer.parseInt(value);
				if (number > 0) {
					return number;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new IllegalArgumentException(option + " must be a positive whole number but was '" + value + "'");
		}

		private static URI url(String option, String value) {
			if (!value.matches("(?i)https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
				throw new IllegalArgumentException(
						option + " must be an absolute http or https URL but was '" + value + "'");
			}
			return URI.create(value);
		}

		private static BigDecimal percent(String option, String value) {
			try {
				BigDecimal percent = new BigDecimal(value);
				if (percent.signum() >= 0 && percent.compareTo(BigDecimal.valueOf(100)) <= 0) {
					return percent;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new IllegalArgumentException(option + " must be a percentage from 0 to 100 but was '" + value + "'");
		}

		private static Duration duration(String option, String value) {
			try {
				return org.springframework.boot.convert.DurationStyle.detectAndParse(value);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						option + " must be a duration such as 500ms or 10s but was '" + value + "'");
			}
		}

	}

}
