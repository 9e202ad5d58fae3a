package dev.strangler.gateway.compare;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of comparing a target's response with legacy's: an immutable value.
 *
 * @param result whether they match
 * @param differences what differs, empty on a match, bounded in size
 * @param bodyCompared {@code false} when the bodies could not be compared (a body was
 * truncated at the capture limit, decodes to more than the decoding limit, or uses a
 * content coding the engine does not decode); the result then speaks for status and
 * headers only
 */
public record Comparison(Result result, List<Difference> differences, boolean bodyCompared) {

	public Comparison {
		Objects.requireNonNull(result, "result");
		differences = List.copyOf(differences);
	}

	/**
	 * A comparison whose bodies were compared.
	 * @param result whether they match
	 * @param differences what differs
	 */
	public Comparison(Result result, List<Difference> differences) {
		this(result, differences, true);
	}

	/**
	 * The comparison with these differences: a match exactly when there are none.
	 * @param differences what differs
	 * @param bodyCompared whether the bodies were compared
	 * @return the comparison
	 */
	public static Comparison of(List<Difference> differences, boolean bodyCompared) {
		return new Comparison(differences.isEmpty() ? Result.MATCH : Result.MISMATCH, differences, bodyCompared);
	}

	/**
	 * Whether the responses match.
	 * @return {@code true} on a match
	 */
	public boolean isMatch() {
		return this.result == Result.MATCH;
	}

	/**
	 * Whether two responses match.
	 */
	public enum Result {

		/** No differences. */
		MATCH,
		/** At least one difference. */
		MISMATCH

	}

}
