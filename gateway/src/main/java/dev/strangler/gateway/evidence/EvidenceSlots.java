package dev.strangler.gateway.evidence;

import java.util.HashMap;
import java.util.Map;

import dev.strangler.gateway.rollout.Backend;

/**
 * The counts behind {@link EvidenceFigures}, laid out as one array of longs per route and
 * time bucket, each slot with a stable name (the field of a Redis hash). Counts are plain
 * sums, so the buckets of several instances add up slot by slot.
 */
public final class EvidenceSlots {

	private static final int SHADOW = ShadowResult.values().length;

	private static final int PER_BACKEND = 2 + LatencyHistogram.BUCKETS;

	/** Slots per route and bucket. */
	public static final int COUNT = SHADOW + Backend.values().length * PER_BACKEND;

	private static final String[] NAMES = new String[COUNT];

	private static final Map<String, Integer> INDEXES = new HashMap<>();

	static {
		for (ShadowResult result : ShadowResult.values()) {
			NAMES[shadow(result)] = "shadow." + result.name().toLowerCase(java.util.Locale.ROOT);
		}
		for (Backend backend : Backend.values()) {
			NAMES[requests(backend)] = backend.value() + ".requests";
			NAMES[errors(backend)] = backend.value() + ".errors";
			for (int bucket = 0; bucket < LatencyHistogram.BUCKETS; bucket++) {
				NAMES[latency(backend, bucket)] = backend.value() + ".latency." + bucket;
			}
		}
		for (int i = 0; i < COUNT; i++) {
			INDEXES.put(NAMES[i], i);
		}
	}

	private EvidenceSlots() {
	}

	static int shadow(ShadowResult result) {
		return result.ordinal();
	}

	static int requests(Backend backend) {
		return SHADOW + backend.ordinal() * PER_BACKEND;
	}

	static int errors(Backend backend) {
		return requests(backend) + 1;
	}

	static int latency(Backend backend, int bucket) {
		return requests(backend) + 2 + bucket;
	}

	/**
	 * The stable name of a slot, for example {@code shadow.mismatch},
	 * {@code target.errors} or {@code legacy.latency.17}.
	 * @param slot the slot
	 * @return its name
	 */
	public static String name(int slot) {
		return NAMES[slot];
	}

	/**
	 * The slot of a name.
	 * @param name a name from {@link #name(int)}
	 * @return its slot, or -1 for a name this version does not know (written by a newer
	 * instance)
	 */
	public static int index(String name) {
		Integer index = INDEXES.get(name);
		return (index != null) ? index : -1;
	}

	/**
	 * The figures of one array of slots.
	 * @param slots {@link #COUNT} counts
	 * @return the figures
	 */
	public static EvidenceFigures figures(long[] slots) {
		ShadowFigures shadow = new ShadowFigures(slots[shadow(ShadowResult.MATCH)],
				slots[shadow(ShadowResult.MISMATCH)], slots[shadow(ShadowResult.ERROR)],
				slots[shadow(ShadowResult.SKIPPED)], slots[shadow(ShadowResult.DROPPED)]);
		return new EvidenceFigures(shadow, backend(slots, Backend.LEGACY), backend(slots, Backend.TARGET));
	}

	private static BackendFigures backend(long[] slots, Backend backend) {
		long[] latency = new long[LatencyHistogram.BUCKETS];
		System.arraycopy(slots, latency(backend, 0), latency, 0, latency.length);
		return new BackendFigures(slots[requests(backend)], slots[errors(backend)], LatencyHistogram.of(latency));
	}

}
