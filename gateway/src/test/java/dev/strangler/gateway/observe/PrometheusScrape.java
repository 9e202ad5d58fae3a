package dev.strangler.gateway.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The samples of a Prometheus text-format scrape, for assertions.
 *
 * @param samples every sample, in scrape order
 */
record PrometheusScrape(List<Sample> samples) {

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+).*$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	static PrometheusScrape parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher matcher = SAMPLE.matcher(line);
			if (!matcher.matches()) {
				throw new IllegalArgumentException("Not a sample line: " + line);
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (matcher.group(3) != null) {
				Matcher label = LABEL.matcher(matcher.group(3));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(4))));
		}
		return new PrometheusScrape(List.copyOf(samples));
	}

	/** Every metric (sample) name in the scrape. */
	Set<String> names() {
		return this.samples.stream().map(Sample::name).collect(Collectors.toCollection(java.util.TreeSet::new));
	}

	/** Every label name the samples of a metric carry. */
	Set<String> labelNames(String name) {
		return this.samples.stream()
			.filter((sample) -> sample.name().equals(name))
			.flatMap((sample) -> sample.labels().keySet().stream())
			.collect(Collectors.toCollection(java.util.TreeSet::new));
	}

	/** The samples of a metric whose labels include all the given ones. */
	List<Sample> find(String name, Map<String, String> labels) {
		return this.samples.stream()
			.filter((sample) -> sample.name().equals(name))
			.filter((sample) -> sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
	}

	/** The sum of the matching samples' values; 0 when there are none. */
	double sum(String name, Map<String, String> labels) {
		return find(name, labels).stream().mapToDouble(Sample::value).sum();
	}

	/**
	 * One sample.
	 *
	 * @param name the sample name
	 * @param labels its labels
	 * @param value its value
	 */
	record Sample(String name, Map<String, String> labels, double value) {

	}

}
