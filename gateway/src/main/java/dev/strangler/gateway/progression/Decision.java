package dev.strangler.gateway.progression;

import java.util.Locale;
import java.util.Optional;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;

/**
 * What one decision (an interval judged, or an operator's command) leads to: the state
 * after it, the override to set, if any, and the explanation that goes to the audit
 * trail.
 *
 * @param state the progression after the decision
 * @param result what was decided, as metrics name it
 * @param change the stage and percent to set through an override, if the decision moves
 * the route
 * @param reason the explanation: the figures and the gate that decided
 */
public record Decision(ProgressionState state, Result result, Optional<Change> change, String reason) {

	/**
	 * Whether the decision is worth an audit entry: it moved the route or changed the
	 * phase. An interval that only holds the step is shown by the admin API, not audited.
	 * @return whether to audit it
	 */
	public boolean audited() {
		return this.result != Result.HELD;
	}

	/**
	 * What a decision decided.
	 */
	public enum Result {

		/** The route was put on the first step. */
		STARTED,

		/** The route moved to the next step. */
		PROMOTED,

		/**
		 * The route stays at its step (passing, failing or inconclusive, under the
		 * limits).
		 */
		HELD,

		/** The route went back to the first stage. */
		ROLLED_BACK,

		/** The progression was paused. */
		PAUSED,

		/** The progression was resumed. */
		RESUMED,

		/** Every step but migrated passed; confirmation awaited. */
		AWAITING_CONFIRMATION,

		/** The last step was reached. */
		COMPLETED,

		/** An operator stopped the progression. */
		ABORTED;

		/**
		 * The name metrics and the audit trail use.
		 * @return lower case, dashes
		 */
		public String value() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/**
	 * The override a decision sets.
	 *
	 * @param stage the stage
	 * @param percent the rollout percent
	 */
	public record Change(Stage stage, Percent percent) {

		@Override
		public String toString() {
			return (this.stage == Stage.CANARY) ? "canary " + this.percent + "%" : this.stage.value();
		}

	}

}
