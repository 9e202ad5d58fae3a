package dev.strangler.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code strangler.*} property of the gateway; each also binds from its
 * environment-variable form (for example {@code STRANGLER_LEGACY_URL}).
 *
 * @param legacy the legacy monolith that receives every request no route claims
 * @param routes where the route files live
 * @param state where runtime state (overrides, audit) is kept
 * @param admin credentials of the admin API
 * @param exposeHeaders whether responses of matched routes carry
 * {@code X-Strangler-Route} and {@code X-Strangler-Backend}
 * @param shadow limits of the mirroring (shadow) path
 * @param rollout how canary requests are assigned to a backend
 * @param testing switches for testers, all off by default
 */
@ConfigurationProperties("strangler")
@Validated
public record StranglerProperties(@Valid @DefaultValue Legacy legacy, @Valid @DefaultValue Routes routes,
		@Valid @DefaultValue State state, @Valid @DefaultValue Admin admin, @DefaultValue("true") boolean exposeHeaders,
		@Valid @DefaultValue Shadow shadow, @Valid @DefaultValue Rollout rollout,
		@Valid @DefaultValue Testing testing) {

	/**
	 * The legacy monolith.
	 *
	 * @param url base URL of the legacy monolith (required), for example
	 * {@code http://localhost:8081}; a path in it is prefixed to every forwarded path
	 */
	public record Legacy(@NotNull(message = "must be set to the legacy monolith's base URL, "
			+ "for example --strangler.legacy.url=http://localhost:8081 or STRANGLER_LEGACY_URL=http://localhost:8081") @Pattern(
					regexp = "(?i)https?://[^/?#\\s]+(/[^?#\\s]*)?",
					message = "must be an absolute http or https URL without query or fragment") String url) {

		/**
		 * The base URL as a {@link URI}.
		 * @return the legacy base URL
		 */
		public URI uri() {
			return URI.create(this.url);
		}

	}

	/**
	 * Route files.
	 *
	 * @param location Spring resource location of the directory holding the route files
	 * ({@code file:} or {@code classpath:}); every {@code *.yml} and {@code *.yaml} below
	 * it is loaded
	 * @param pollInterval how often the files are checked for changes, which are then
	 * reloaded; {@code 0} turns the check off ({@code POST /actuator/migration/reload}
	 * still reloads)
	 * @param allowEmpty whether a reload may apply a location that holds no route file
	 * (every request then goes to legacy); by default that is a reload error and the
	 * routes in force stay, so an unmounted volume never sends migrated routes back to
	 * legacy. A missing or unreadable location is always a reload error.
	 */
	public record Routes(@DefaultValue("file:./routes/") @NotBlank String location,
			@DefaultValue("2s") @NotNull Duration pollInterval, @DefaultValue("false") boolean allowEmpty) {

	}

	/**
	 * Runtime state.
	 *
	 * @param dir directory of the embedded state store (overrides and their audit trail),
	 * and of the local snapshot of the shared state with {@code store: redis}
	 * @param store where overrides, their audit trail and cluster-wide events live:
	 * {@code file} (one instance, files in {@code dir}) or {@code redis} (several
	 * instances sharing one Redis, connection settings under {@code spring.data.redis.*})
	 * @param redis settings of the Redis store
	 */
	public record State(@DefaultValue("./data") @NotNull Path dir, @DefaultValue("file") @NotNull Store store,
			@Valid @DefaultValue Redis redis) {

		/**
		 * Where the state lives.
		 */
		public enum Store {

			/** Files under {@code strangler.state.dir}: one gateway instance. */
			FILE,

			/** Redis, shared by every gateway instance. */
			REDIS

		}

		/**
		 * The Redis store ({@code strangler.state.store: redis}).
		 *
		 * @param keyPrefix prefix of every Redis key and channel, so that several gateway
		 * clusters can share one Redis
		 * @param auditMaxEntries the audit trail stream keeps about this many newest
		 * entries
		 * @param resyncInterval how often each instance reads the whole shared state
		 * again, besides following pub/sub: the longest a lost change notification can
		 * delay a change
		 * @param timeout longest wait for one Redis call; an admin write that waits
		 * longer is refused with 503
		 * @param startupWait how long an instance starting without a local snapshot waits
		 * for Redis before it fails start-up
		 * @param importFrom the directory of a file store whose overrides are imported
		 * into Redis at start-up, audited, except for routes Redis already has state for;
		 * none by default
		 */
		public record Redis(@DefaultValue("strangler") @NotBlank String keyPrefix,
				@DefaultValue("10000") @Min(1) int auditMaxEntries,
				@DefaultValue("1s") @NotNull Duration resyncInterval, @DefaultValue("2s") @NotNull Duration timeout,
				@DefaultValue("30s") @NotNull Duration startupWait, Path importFrom) {

		}

	}

	/**
	 * Admin API credentials (HTTP Basic on the management port).
	 *
	 * @param username admin user name
	 * @param password admin password; no default: without one the admin API refuses every
	 * call. A value starting with the id of a Spring Security password encoder
	 * ({@code {bcrypt}}, {@code {noop}}, {@code {pbkdf2}}, ...) is taken as already
	 * encoded; any other value, even one starting with {@code {}, as the password
	 */
	public record Admin(@DefaultValue("admin") @NotBlank String username, String password) {

		@Override
		public String toString() {
			// Never let a password reach a log line or an actuator dump.
			return "Admin[username=" + this.username + ", password=" + ((this.password != null) ? "******" : "unset")
					+ "]";
		}

	}

	/**
	 * Limits of the shadow (mirroring) path.
	 *
	 * @param maxInFlight most mirrored requests in flight at once; excess mirrors are
	 * dropped, never queued
	 * @param maxBody largest request or response body buffered for mirroring or
	 * comparison
	 */
	public record Shadow(@DefaultValue("64") @Min(1) int maxInFlight, @DefaultValue("1MB") @NotNull DataSize maxBody) {

	}

	/**
	 * Canary rollout.
	 *
	 * @param trustedProxies proxies (IP addresses or CIDR ranges) whose
	 * {@code X-Forwarded-For} a {@code client-ip} sticky key believes; empty (the
	 * default) means the direct peer is the client
	 */
	public record Rollout(@DefaultValue List<String> trustedProxies) {

		public Rollout {
			trustedProxies = List.copyOf(trustedProxies);
		}

	}

	/**
	 * Switches for testers.
	 *
	 * @param forceBackend the backend-forcing request header
	 */
	public record Testing(@Valid @DefaultValue ForceBackend forceBackend) {

	}

	/**
	 * The {@code X-Strangler-Force-Backend} request header, honoured only when enabled
	 * and accompanied by {@code X-Strangler-Force-Token} carrying the token.
	 *
	 * @param enabled whether the header is honoured at all (default {@code false})
	 * @param token shared secret testers send in {@code X-Strangler-Force-Token};
	 * required, at least {@value #MIN_TOKEN_LENGTH} characters, when enabled
	 */
	public record ForceBackend(@DefaultValue("false") boolean enabled, String token) {

		/** Shortest token accepted: anything shorter is guessable. */
		public static final int MIN_TOKEN_LENGTH = 16;

		public ForceBackend {
			if (enabled && (token == null || token.strip().length() < MIN_TOKEN_LENGTH)) {
				throw new IllegalArgumentException(
						"strangler.testing.force-backend.token must be set to a secret of at least " + MIN_TOKEN_LENGTH
								+ " characters when strangler.testing.force-backend.enabled is true "
								+ "(STRANGLER_TESTING_FORCEBACKEND_TOKEN)");
			}
		}

		@Override
		public String toString() {
			// Never let the token reach a log line or an actuator dump.
			return "ForceBackend[enabled=" + this.enabled + ", token=" + ((this.token != null) ? "******" : "unset")
					+ "]";
		}

	}

}
