package dev.strangler.gateway.shadow;

import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.route.Percent;

import org.springframework.http.HttpMethod;
import org.springframework.lang.Nullable;

/**
 * Decides whether legacy is asked a second time for a mirrored request, to learn noise:
 * only {@code GET}s, only {@code strangler.shadow.noise-detection.sample-percent} of
 * them, only while the route path pattern is still {@linkplain NoiseModel#learning
 * learning}, and only if a {@link ShadowLimiter} slot is free (noise detection never
 * causes a drop).
 */
final class SecondLook {

	@Nullable
	private final Percent sample;

	private final ShadowSampler sampler;

	private final NoiseModel noise;

	private final ShadowLimiter limiter;

	/**
	 * Creates the decision.
	 * @param sample share of mirrored GETs for which legacy is asked twice; {@code null}
	 * when noise detection is off
	 * @param sampler picks the sampled requests
	 * @param noise what has been learned so far
	 * @param limiter where the extra slot comes from
	 */
	SecondLook(@Nullable Percent sample, ShadowSampler sampler, NoiseModel noise, ShadowLimiter limiter) {
		this.sample = sample;
		this.sampler = sampler;
		this.noise = noise;
		this.limiter = limiter;
	}

	/**
	 * Whether to ask legacy again; if so, the caller now holds an extra slot it must
	 * release.
	 * @param routeId the route
	 * @param pathKey the route pattern that matched
	 * @param method the request method
	 * @return {@code true} if legacy is to be asked again
	 */
	boolean take(String routeId, String pathKey, HttpMethod method) {
		return this.sample != null && HttpMethod.GET.equals(method) && this.noise.learning(routeId, pathKey)
				&& this.sampler.sample(this.sample) && this.limiter.tryAcquire();
	}

	@Override
	public String toString() {
		return "SecondLook[sample=" + this.sample + ", noise=" + this.noise + "]";
	}

}
