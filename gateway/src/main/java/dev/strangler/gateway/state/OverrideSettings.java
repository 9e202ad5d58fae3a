package dev.strangler.gateway.state;

import java.util.Objects;
import java.util.Optional;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;

/**
 * What an override changes: the stage, the rollout percent, or both. Absent values fall
 * back to the route file.
 *
 * <pre>{@code
 * OverrideSettings canary25 = new OverrideSettings(Optional.of(Stage.CANARY), Optional.of(Percent.parse("25")));
 * }</pre>
 *
 * @param stage the stage that wins over the route file's
 * @param percent the rollout percent that wins over the route file's
 */
public record OverrideSettings(Optional<Stage> stage, Optional<Percent> percent) {

	public OverrideSettings {
		Objects.requireNonNull(stage, "stage");
		Objects.requireNonNull(percent, "percent");
		if (stage.isEmpty() && percent.isEmpty()) {
			throw new IllegalArgumentException("an override must set a stage, a percent or both");
		}
	}

	/**
	 * Returns these settings with the values present in {@code newer} replacing this
	 * one's: {@code canary} then {@code percent 50} gives {@code canary at 50}.
	 * @param newer the values to lay over these
	 * @return the merged settings
	 */
	public OverrideSettings overlaidWith(OverrideSettings newer) {
		return new OverrideSettings(newer.stage.or(() -> this.stage), newer.percent.or(() -> this.percent));
	}

}
