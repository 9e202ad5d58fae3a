package dev.strangler.gateway.replay;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.strangler.gateway.compare.Difference;
import dev.strangler.gateway.replay.Replayer.ReplayOutcome;

/**
 * The result of one replay: totals, the mismatch rate against its threshold, the JSON
 * paths that differ most often, and every mismatch with both values. Written as Markdown
 * for people and as JUnit XML for CI.
 */
final class ParityReport {

	/** Mismatches detailed in the Markdown report; all of them are in the JUnit XML. */
	static final int MAX_DETAILED = 100;

	static final int TOP_PATHS = 10;

	private final String routeId;

	private final String legacy;

	private final String target;

	private final RequestSource source;

	private final List<ReplayOutcome> outcomes;

	private final BigDecimal threshold;

	private final Duration took;

	ParityReport(String routeId, String legacy, String target, RequestSource source, List<ReplayOutcome> outcomes,
			BigDecimal threshold, Duration took) {
		this.routeId = routeId;
		this.legacy = legacy;
		this.target = target;
		this.source = source;
		this.outcomes = List.copyOf(outcomes);
		this.threshold = threshold;
		this.took = took;
	}

	int replayed() {
		return this.outcomes.size();
	}

	long matches() {
		return this.outcomes.stream().filter(ReplayOutcome::isMatch).count();
	}

	long mismatches() {
		return this.outcomes.stream().filter((outcome) -> !outcome.isError() && !outcome.isMatch()).count();
	}

	long errors() {
		return this.outcomes.stream().filter(ReplayOutcome::isError).count();
	}

	long legacyChanged() {
		return this.outcomes.stream().filter(ReplayOutcome::legacyChanged).count();
	}

	/**
	 * Mismatches and errors (a pair that could not be compared is no evidence of parity)
	 * as a percentage of the replayed requests.
	 * @return the rate, 100 when nothing was replayed
	 */
	BigDecimal mismatchRate() {
		if (replayed() == 0) {
			return BigDecimal.valueOf(100);
		}
		return BigDecimal.valueOf((mismatches() + errors()) * 100)
			.divide(BigDecimal.valueOf(replayed()), 2, RoundingMode.HALF_UP);
	}

	boolean passed() {
		return replayed() > 0 && mismatchRate().compareTo(this.threshold) <= 0;
	}

	/**
	 * The differing paths (array indexes as {@code [*]}) by how many requests they differ
	 * in, most first.
	 */
	Map<String, Integer> topPaths() {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (ReplayOutcome outcome : this.outcomes) {
			Set<String> paths = new LinkedHashSet<>();
			outcome.differences().forEach((difference) -> paths.add(difference.pathTemplate()));
			paths.forEach((path) -> counts.merge(path, 1, Integer::sum));
		}
		Map<String, Integer> top = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
				.thenComparing(Map.Entry.comparingByKey()))
			.limit(TOP_PATHS)
			.forEach((entry) -> top.put(entry.getKey(), entry.getValue()));
		return top;
	}

	String summary() {
		return "matches %d, mismatches %d, errors %d, skipped %d → mismatch rate %s%% (threshold %s%%)".formatted(
				matches(), mismatches(), errors(), this.source.skipped().size(), mismatchRate().toPlainString(),
				this.threshold.toPlainString());
	}

	Path writeMarkdown(Path dir) throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("# Parity report: route `").append(this.routeId).append("`\n\n");
		md.append("- Result: **").append(passed() ? "PASS" : "FAIL").append("**\n");
		md.append("- Legacy: ").append(this.legacy).append("\n");
		md.append("- Target: ").append(this.target).append("\n");
		md.append("- Requests: ").append(this.source.description()).append("\n");
		md.append("- Took: ").append(this.took.toMillis()).append(" ms\n\n");
		md.append("| replayed | matches | mismatches | errors | skipped | mismatch rate | threshold |\n");
		md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
		md.append(
				"| %d | %d | %d | %d | %d | %s%% | %s%% |\n\n".formatted(replayed(), matches(), mismatches(), errors(),
						this.source.skipped().size(), mismatchRate().toPlainString(), this.threshold.toPlainString()));
		if (legacyChanged() > 0) {
			// A hint, not a verdict: a hash cannot apply the ignore rules, so
			// per-response
			// values such as timestamps count here too.
			md.append("Note: legacy's body no longer matches the recorded hash for ")
				.append(legacyChanged())
				.append(" request(s): per-response values (timestamps) or data changed since recording.\n\n");
		}
		Map<String, Integer> top = topPaths();
		if (!top.isEmpty()) {
			md.append("## Top differing paths\n\n| path | requests |\n|---|---:|\n");
			top.forEach((path, count) -> md.append("| `").append(path).append("` | ").append(count).append(" |\n"));
			md.append('\n');
		}
		List<ReplayOutcome> mismatched = this.outcomes.stream()
			.filter((outcome) -> !outcome.isError() && !outcome.isMatch())
			.toList();
		if (!mismatched.isEmpty()) {
			md.append("## Mismatches");
			if (mismatched.size() > MAX_DETAILED) {
				md.append(" (first ").append(MAX_DETAILED).append(" of ").append(mismatched.size()).append(')');
			}
			md.append("\n\n");
			for (ReplayOutcome outcome : mismatched.subList(0, Math.min(MAX_DETAILED, mismatched.size()))) {
				md.append("### ")
					.append(markdown(outcome.request().toString()))
					.append(" (legacy ")
					.append(outcome.legacyStatus())
					.append(", target ")
					.append(outcome.targetStatus())
					.append(")\n\n| path | legacy | target |\n|---|---|---|\n");
				for (Difference difference : outcome.differences()) {
					md.append("| `")
						.append(difference.path())
						.append("` | `")
						.append(markdown(difference.legacyValue()))
						.append("` | `")
						.append(markdown(difference.targetValue()))
						.append("` |\n");
				}
				md.append('\n');
			}
		}
		List<ReplayOutcome> errors = this.outcomes.stream().filter(ReplayOutcome::isError).toList();
		if (!errors.isEmpty()) {
			md.append("## Errors\n\n");
			errors.stream()
				.limit(MAX_DETAILED)
				.forEach((outcome) -> md.append("- ")
					.append(markdown(outcome.request().toString()))
					.append(": ")
					.append(markdown(outcome.error()))
					.append('\n'));
			md.append('\n');
		}
		if (!this.source.skipped().isEmpty()) {
			md.append("## Skipped\n\n");
			this.source.skipped()
				.stream()
				.limit(MAX_DETAILED)
				.forEach((skipped) -> md.append("- ").append(markdown(skipped)).append('\n'));
		}
		return write(dir.resolve("parity-" + this.routeId + ".md"), md.toString());
	}

	Path writeJunit(Path dir) throws IOException {
		StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		String suite = "parity." + this.routeId;
		xml.append("<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%s\">\n"
			.formatted(xml(suite), replayed() + this.source.skipped().size(), mismatches(), errors(),
					this.source.skipped().size(), seconds(this.took)));
		xml.append("  <properties>\n");
		property(xml, "legacy", this.legacy);
		property(xml, "target", this.target);
		property(xml, "mismatchRate", mismatchRate().toPlainString());
		property(xml, "maxMismatchRate", this.threshold.toPlainString());
		xml.append("  </properties>\n");
		int index = 0;
		for (ReplayOutcome outcome : this.outcomes) {
			// numbered: the same request may be replayed more than once
			String name = "%04d %s".formatted(++index, outcome.request());
			xml.append("  <testcase classname=\"%s\" name=\"%s\"".formatted(xml(suite), xml(name)));
			if (outcome.isError()) {
				xml.append(">\n    <error message=\"%s\"/>\n  </testcase>\n".formatted(xml(outcome.error())));
			}
			else if (!outcome.isMatch()) {
				StringBuilder text = new StringBuilder();
				outcome.differences()
					.forEach((difference) -> text.append(difference.path())
						.append(": legacy ")
						.append(difference.legacyValue())
						.append(" | target ")
						.append(difference.targetValue())
						.append('\n'));
				xml.append(">\n    <failure message=\"%s\" type=\"mismatch\">%s</failure>\n  </testcase>\n"
					.formatted(xml(outcome.differences().size() + " difference(s), first at "
							+ outcome.differences().get(0).path()), xml(text.toString())));
			}
			else {
				xml.append("/>\n");
			}
		}
		for (String skipped : this.source.skipped()) {
			xml.append("  <testcase classname=\"%s\" name=\"%s\">\n    <skipped/>\n  </testcase>\n"
				.formatted(xml(suite), xml(skipped)));
		}
		xml.append("</testsuite>\n");
		return write(dir.resolve("TEST-parity-" + this.routeId + ".xml"), xml.toString());
	}

	private static void property(StringBuilder xml, String name, String value) {
		xml.append("    <property name=\"%s\" value=\"%s\"/>\n".formatted(xml(name), xml(value)));
	}

	private static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toMillis()).movePointLeft(3).toPlainString();
	}

	private static Path write(Path file, String content) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, content, StandardCharsets.UTF_8);
		return file;
	}

	// Inside backticks in a table cell: only the pipe and newlines break it.
	private static String markdown(String text) {
		return text.replace("|", "\\|").replace("\r", "").replace("\n", " ").replace("`", "'");
	}

	static String xml(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&apos;");
				default -> {
					// characters XML 1.0 cannot carry at all
					if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

	List<ReplayOutcome> outcomes() {
		return new ArrayList<>(this.outcomes);
	}

}
