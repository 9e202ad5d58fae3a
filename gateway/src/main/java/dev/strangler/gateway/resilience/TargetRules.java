package dev.strangler.gateway.resilience;

import java.util.Set;

import dev.strangler.gateway.route.Route;

import org.springframework.http.HttpMethod;
import org.springframework.lang.Nullable;

/**
 * What may happen to one target call of a routed request when the target fails (DESIGN
 * §8): whether it is retried against the target, and when legacy answers in its place.
 * The filter chain's {@link ResilienceFilter} and the front's {@link FrontTargetCalls}
 * take these same decisions.
 *
 * @param fallbackAllowed the route falls back to legacy at all
 * ({@code resilience.fallbackToLegacy})
 * @param retried the call is retried against the target: idempotent, replayable, and the
 * route allows retries
 * @param resendable the call is re-sent to legacy whatever the target did with it: a safe
 * method (GET, HEAD, OPTIONS) whose body can be replayed
 * @param replayable the request's body (if any) can be sent again
 */
record TargetRules(boolean fallbackAllowed, boolean retried, boolean resendable, boolean replayable) {

	// RFC 9110 section 9.2.2: may be retried against the same backend.
	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

	// DESIGN §8: the only methods re-sent to legacy after the target may have received
	// them.
	private static final Set<HttpMethod> RESENDABLE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

	/**
	 * The rules of a request.
	 * @param route the route claiming it
	 * @param method its method
	 * @param replayable whether its body (if any) can be sent again
	 * @return the rules
	 */
	static TargetRules of(Route route, HttpMethod method, boolean replayable) {
		boolean fallbackAllowed = route.resilience().fallbackToLegacy();
		boolean retried = replayable && IDEMPOTENT.contains(method) && route.resilience().retries() > 0;
		boolean resendable = fallbackAllowed && replayable && RESENDABLE.contains(method);
		return new TargetRules(fallbackAllowed, retried, resendable, replayable);
	}

	/**
	 * Whether the first part of a target answer is read before it is relayed: a body that
	 * breaks off early can then still be retried or answered by legacy.
	 * @return {@code true} when a broken body could be recovered from
	 */
	boolean checksBody() {
		return this.retried || this.resendable;
	}

	/**
	 * Whether legacy answers in place of a target that answered with this status.
	 * @param status the target's status
	 * @return the reason legacy answers, {@code null} when the target's answer is relayed
	 */
	@Nullable
	TargetFailure fallbackFor(int status) {
		return (this.resendable && RouteResilience.isServerError(status)) ? TargetFailure.status(status) : null;
	}

	/**
	 * Whether legacy answers in place of a target call that failed: always for a
	 * resendable request, else only when the target provably never received it (if its
	 * body is still there).
	 * @param failure why the call failed
	 * @return {@code true} when legacy answers
	 */
	boolean fallsBackOn(TargetFailure failure) {
		boolean neverReceived = (failure.neverReached() && this.replayable) || failure.bodyUntouched();
		return this.resendable || (this.fallbackAllowed && neverReceived);
	}

}
