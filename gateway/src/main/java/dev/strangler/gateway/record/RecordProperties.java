package dev.strangler.gateway.record;

import java.nio.file.Path;
import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.lang.Nullable;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Traffic recording ({@code strangler.record.*}): which routes' client requests are
 * written to a replayable corpus, and within which bounds. Off unless {@code routes}
 * names at least one route.
 *
 * @param routes ids of the routes whose requests are recorded
 * @param dir directory of the corpus files (one per route, named after its id:
 * {@code catalog.jsonl}); default {@code recordings} under {@code strangler.state.dir}
 * @param samplePercent share of a recorded route's requests that are recorded, 0 to 100
 * @param maxBytes size bound of each corpus file; recording of a route stops when its
 * file would grow beyond it
 * @param headers request headers recorded (allow-list, case-insensitive); credentials
 * ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
 * {@code Set-Cookie}) are never recorded, even when listed
 * @param maxBody largest request body recorded; a larger one is recorded as truncated
 * @param queueCapacity recordings waiting to be written; beyond it they are dropped,
 * never queued without bound
 */
@ConfigurationProperties("strangler.record")
@Validated
record RecordProperties(@DefaultValue List<String> routes, @Nullable Path dir,
		@DefaultValue("100") @DecimalMin("0") @DecimalMax("100") double samplePercent,
		@DefaultValue("10MB") @NotNull DataSize maxBytes, @DefaultValue( {
				"Accept", "Accept-Language", "Content-Type" }) List<String> headers,
		@DefaultValue("64KB") @NotNull DataSize maxBody, @DefaultValue("1000") @Min(1) int queueCapacity){

	/**
	 * The corpus directory.
	 * @param stateDir {@code strangler.state.dir}
	 * @return {@code dir}, else {@code recordings} under the state directory
	 */
	Path directory(Path stateDir) {
		return (this.dir != null) ? this.dir : stateDir.resolve("recordings");
	}

}
