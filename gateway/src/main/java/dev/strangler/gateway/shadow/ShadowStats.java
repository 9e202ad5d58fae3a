package dev.strangler.gateway.shadow;

import java.util.List;

/**
 * The shadow results of one route since the gateway started: an immutable snapshot for
 * the admin API.
 *
 * @param compared mirrored requests whose responses were compared (matches plus
 * mismatches)
 * @param match compared and equal under the route's rules
 * @param mismatch compared and different
 * @param error mirrored calls that failed (timeout, connection refused or reset,
 * unreadable answer)
 * @param skipped mirrors not compared (request or response body over
 * {@code strangler.shadow.max-body}, streamed or missing legacy response)
 * @param dropped mirrors never sent because {@code strangler.shadow.max-in-flight} were
 * already in flight
 * @param mismatchRate {@code mismatch / compared}, 0 when nothing was compared
 * @param topDifferingPaths the JSON paths (or {@code status}, {@code header:…}) that
 * differed most often, most frequent first
 */
public record ShadowStats(long compared, long match, long mismatch, long error, long skipped, long dropped,
		double mismatchRate, List<PathCount> topDifferingPaths) {

	/** Nothing mirrored yet. */
	public static final ShadowStats NONE = new ShadowStats(0, 0, 0, 0, 0, 0, 0, List.of());

	public ShadowStats {
		topDifferingPaths = List.copyOf(topDifferingPaths);
	}

	/**
	 * How often one path differed.
	 *
	 * @param path the JSON path
	 * @param count mismatches in which it differed
	 */
	public record PathCount(String path, long count) {

	}

}
