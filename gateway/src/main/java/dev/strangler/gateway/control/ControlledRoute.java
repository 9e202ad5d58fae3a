package dev.strangler.gateway.control;

import java.util.Optional;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.state.RouteOverride;

/**
 * One route as its file defines it and as it is in force once its override is applied.
 *
 * <pre class="code">
 * ControlledRoute catalog = ControlledRoute.of(fileRoute, snapshot.get("catalog"));
 * catalog.effective().stage(); // the override's stage, else the file's
 * </pre>
 *
 * @param configured the route as its file defines it
 * @param effective the route in force: the override's stage and percent laid over the
 * file's
 * @param override the operator's override, if any
 * @param overrideProblem why (part of) the override could not be applied, if it could not
 */
public record ControlledRoute(Route configured, Route effective, Optional<RouteOverride> override,
		Optional<String> overrideProblem) {

	/**
	 * Lays an override over a route. A stage that needs a target is not applied to a
	 * route whose file no longer names one (the file may have changed since the override
	 * was set): routing such a route to a missing target would fail every request.
	 * @param configured the route as its file defines it
	 * @param override the override, if any
	 * @return the route with its effective settings
	 */
	public static ControlledRoute of(Route configured, Optional<RouteOverride> override) {
		if (override.isEmpty()) {
			return new ControlledRoute(configured, configured, override, Optional.empty());
		}
		RouteOverride settings = override.get();
		Stage stage = configured.stage();
		Optional<String> problem = Optional.empty();
		if (settings.stage().isPresent()) {
			Stage wanted = settings.stage().get();
			if (wanted.needsTarget() && configured.target() == null) {
				problem = Optional.of("stage " + wanted.value() + " needs a target, which the route file does not set; "
						+ "the file's stage " + stage.value() + " applies");
			}
			else {
				stage = wanted;
			}
		}
		Percent percent = settings.percent().orElse(configured.rollout().percent());
		Route effective = new Route(configured.id(), configured.description(), configured.source(), configured.match(),
				configured.legacy(), configured.target(), stage,
				new Route.Rollout(percent, configured.rollout().stickyBy()), configured.shadow(), configured.compare(),
				configured.cache(), configured.resilience(), configured.progression());
		return new ControlledRoute(configured, effective, override, problem);
	}

	/**
	 * The route id.
	 * @return the id
	 */
	public String id() {
		return this.configured.id();
	}

}
