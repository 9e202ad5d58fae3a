package dev.strangler.gateway.rollout;

import dev.strangler.gateway.route.Route;

import org.springframework.lang.Nullable;

/**
 * Serves each stage by its backend: {@code legacy} and {@code shadow} by legacy (the
 * shadow copy is mirrored beside, never instead), {@code migrated} by the target, and
 * {@code canary} by legacy until the sticky percentage split exists.
 */
final class StageBackendSelector implements BackendSelector {

	@Override
	public Backend select(Route route, @Nullable String stickyKey) {
		return switch (route.stage()) {
			case LEGACY, SHADOW -> Backend.LEGACY;
			case MIGRATED -> Backend.TARGET;
			// TODO(issue "Canary rollout"): hash (route id, sticky key) into 10 000
			// buckets,
			// bucket < rollout.percent basis points -> TARGET; random when no key.
			case CANARY -> Backend.LEGACY;
		};
	}

	@Override
	public String toString() {
		return "StageBackendSelector[canary=legacy-only]";
	}

}
