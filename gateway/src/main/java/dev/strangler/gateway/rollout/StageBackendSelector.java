package dev.strangler.gateway.rollout;

import java.util.Objects;
import java.util.Optional;

import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.route.StickyKey;

/**
 * Serves each stage by its backend (DESIGN §2): {@code legacy} and {@code shadow} by
 * legacy (the shadow copy is mirrored beside, never instead), {@code migrated} by the
 * target, and {@code canary} by the target for {@code rollout.percent} of the traffic,
 * sticky by {@code rollout.stickyBy} when the route names a key.
 *
 * <pre>{@code
 * BackendSelector selector = new StageBackendSelector(
 *         new RolloutDecider(() -> ThreadLocalRandom.current().nextDouble()),
 *         new StickyKeyExtractor(TrustedProxies.none()));
 * Backend backend = selector.select(route, request);
 * }</pre>
 */
final class StageBackendSelector implements BackendSelector {

	private final RolloutDecider decider;

	private final StickyKeyExtractor stickyKeys;

	StageBackendSelector(RolloutDecider decider, StickyKeyExtractor stickyKeys) {
		this.decider = Objects.requireNonNull(decider, "decider");
		this.stickyKeys = Objects.requireNonNull(stickyKeys, "stickyKeys");
	}

	@Override
	public Backend select(Route route, StickyRequest request) {
		return switch (route.stage()) {
			case LEGACY, SHADOW -> Backend.LEGACY;
			case MIGRATED -> Backend.TARGET;
			case CANARY -> this.decider.decide(route.id(), route.rollout().percent(), stickyKey(route, request));
		};
	}

	@Override
	public Optional<Backend> selectWithoutDrawing(Route route, StickyRequest request) {
		if (route.stage() != Stage.CANARY) {
			return Optional.of(select(route, request));
		}
		return this.decider.decideWithoutDrawing(route.id(), route.rollout().percent(), stickyKey(route, request));
	}

	@Override
	public boolean readsRequest(Route route) {
		return route.stage() == Stage.CANARY && route.rollout().stickyBy() != null;
	}

	private Optional<String> stickyKey(Route route, StickyRequest request) {
		StickyKey stickyBy = route.rollout().stickyBy();
		// Only canary reads the request, so other stages never pay for parsing cookies.
		return (stickyBy != null) ? this.stickyKeys.extract(stickyBy, request) : Optional.empty();
	}

	@Override
	public String toString() {
		return "StageBackendSelector[decider=" + this.decider + ", stickyKeys=" + this.stickyKeys + "]";
	}

}
