package dev.strangler.gateway.evidence;

import java.util.List;
import java.util.Optional;

import dev.strangler.gateway.compare.DiffRecord;

/**
 * The latest mismatches of a route, newest first, and whose they are.
 *
 * @param scope every instance's (the shared list of the Redis store), or only the one
 * asked
 * @param diffs the mismatches, newest first
 * @param problem why they are only this instance's when the cluster's were asked for but
 * could not be read
 */
public record RecentDiffs(EvidenceWindow.Scope scope, List<InstanceDiff> diffs, Optional<String> problem) {

	public RecentDiffs {
		diffs = List.copyOf(diffs);
	}

	/**
	 * One instance's own mismatches.
	 * @param instance the instance's id
	 * @param records its mismatches, newest first
	 * @param problem why these are not the cluster's, empty when there is no cluster
	 * @return the diffs, with {@link EvidenceWindow.Scope#INSTANCE}
	 */
	public static RecentDiffs own(String instance, List<DiffRecord> records, Optional<String> problem) {
		return new RecentDiffs(EvidenceWindow.Scope.INSTANCE,
				records.stream().map((record) -> new InstanceDiff(instance, record)).toList(), problem);
	}

	/**
	 * The mismatches alone.
	 * @return the records, newest first
	 */
	public List<DiffRecord> records() {
		return this.diffs.stream().map(InstanceDiff::record).toList();
	}

}
