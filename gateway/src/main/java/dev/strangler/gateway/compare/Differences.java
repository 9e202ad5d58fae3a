package dev.strangler.gateway.compare;

import java.util.ArrayList;
import java.util.List;

import dev.strangler.gateway.compare.Difference.Kind;

/**
 * Collects the differences of one comparison, at most a bound of them; the rest are only
 * counted, so a response that differs everywhere costs bounded memory to report.
 */
final class Differences {

	private final int max;

	private final List<Difference> differences = new ArrayList<>();

	private int omitted;

	Differences(int max) {
		this.max = max;
	}

	void add(String path, String legacyValue, String targetValue, Kind kind) {
		if (this.differences.size() < this.max) {
			this.differences.add(new Difference(path, legacyValue, targetValue, kind));
		}
		else {
			this.omitted++;
		}
	}

	boolean full() {
		return this.differences.size() >= this.max;
	}

	List<Difference> toList() {
		if (this.omitted == 0) {
			return this.differences;
		}
		List<Difference> all = new ArrayList<>(this.differences);
		all.add(new Difference("…", this.omitted + " more differences", this.omitted + " more differences",
				Kind.OMITTED));
		return all;
	}

}
