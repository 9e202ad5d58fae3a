package dev.strangler.gateway.headers;

import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

import dev.strangler.gateway.digest.Sha256;
import dev.strangler.gateway.rollout.Backend;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.lang.Nullable;

/**
 * Decides whether a tester's {@code X-Strangler-Force-Backend} is honoured: only when the
 * feature is enabled and the request carries the shared token in
 * {@code X-Strangler-Force-Token}.
 *
 * <pre>{@code
 * BackendForcing forcing = BackendForcing.enabled("a-long-shared-secret");
 * forcing.resolve("target", "a-long-shared-secret"); // Optional[TARGET]
 * forcing.resolve("target", "guess");                // Optional.empty
 * }</pre>
 *
 * <p>
 * The token is compared in constant time over SHA-256 digests, so neither the content nor
 * the length of the secret leaks through response timing. A dedicated header (never
 * {@code Authorization}, which belongs to the backends) carries it.
 */
final class BackendForcing {

	private static final Log logger = LogFactory.getLog(BackendForcing.class);

	private static final BackendForcing DISABLED = new BackendForcing(null);

	@Nullable
	private final byte[] tokenDigest;

	private BackendForcing(@Nullable byte[] tokenDigest) {
		this.tokenDigest = tokenDigest;
	}

	/**
	 * Forcing that is never honoured (the default).
	 * @return the disabled policy
	 */
	static BackendForcing disabled() {
		return DISABLED;
	}

	/**
	 * Forcing honoured for requests that carry {@code token}.
	 * @param token the shared secret
	 * @return the enabled policy
	 */
	static BackendForcing enabled(String token) {
		if (token == null || token.isBlank()) {
			throw new IllegalArgumentException("token must not be blank");
		}
		return new BackendForcing(Sha256.of(token));
	}

	/**
	 * Resolves the backend a request asks for.
	 * @param requested the {@code X-Strangler-Force-Backend} value, {@code null} when
	 * absent
	 * @param presentedToken the {@code X-Strangler-Force-Token} value, {@code null} when
	 * absent
	 * @return the backend to force, empty when the request does not ask or must not be
	 * believed
	 */
	Optional<Backend> resolve(@Nullable String requested, @Nullable String presentedToken) {
		if (requested == null) {
			return Optional.empty();
		}
		if (this.tokenDigest == null) {
			return ignored("forcing is disabled (strangler.testing.force-backend.enabled=false)");
		}
		if (presentedToken == null || !MessageDigest.isEqual(this.tokenDigest, Sha256.of(presentedToken))) {
			return ignored("the request carries no valid " + StranglerHeaders.FORCE_TOKEN);
		}
		return switch (requested.strip().toLowerCase(Locale.ROOT)) {
			case "legacy" -> Optional.of(Backend.LEGACY);
			case "target" -> Optional.of(Backend.TARGET);
			default -> ignored("its value is neither legacy nor target");
		};
	}

	private static Optional<Backend> ignored(String reason) {
		// DEBUG only: a client probing the header must not be able to flood the logs.
		if (logger.isDebugEnabled()) {
			logger.debug("Ignored " + StranglerHeaders.FORCE_BACKEND + ": " + reason);
		}
		return Optional.empty();
	}

	@Override
	public String toString() {
		return "BackendForcing[" + ((this.tokenDigest != null) ? "enabled" : "disabled") + "]";
	}

}
