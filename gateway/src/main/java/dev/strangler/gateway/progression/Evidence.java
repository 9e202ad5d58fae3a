package dev.strangler.gateway.progression;

import java.time.Instant;

/**
 * Where a progression's measurements come from: this instance's own counters, or (with
 * the shared store) figures aggregated across instances. The controller asks once per
 * decision, for the interval since the previous one.
 *
 * <pre class="code">
 * IntervalFigures figures = evidence.figuresOf("catalog", lastDecision, now);
 * figures.mismatchRate();
 * </pre>
 */
public interface Evidence {

	/**
	 * The route's figures between two instants.
	 * @param routeId the route
	 * @param from start of the interval (the previous decision)
	 * @param to end of the interval (now)
	 * @return what was measured
	 */
	IntervalFigures figuresOf(String routeId, Instant from, Instant to);

}
