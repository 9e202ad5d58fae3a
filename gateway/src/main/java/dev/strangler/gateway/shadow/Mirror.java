package dev.strangler.gateway.shadow;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.compare.CapturedResponse;
import dev.strangler.gateway.route.Route;
import io.micrometer.observation.Observation;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * The shadow experiment of one client request: collects the request body and the legacy
 * response as they pass through the gateway, sends the mirrored call (and, for noise
 * detection, a second legacy call) on its own, and hands both answers to the
 * {@link ShadowJudge} once all are in.
 *
 * <p>
 * Like a GitHub Scientist experiment, it never touches what the client gets: it is
 * subscribed apart from the client's exchange, only reads copies of the bytes, and turns
 * every failure of its own into a recorded result. It holds one {@link ShadowLimiter}
 * permit (two while legacy is asked again) and gives them back however it ends.
 */
final class Mirror {

	/** Exchange attribute holding the mirror of a request that is being mirrored. */
	static final String ATTRIBUTE = Mirror.class.getName();

	private final MirrorContext context;

	private final MirrorServices services;

	private final boolean askLegacyAgain;

	private final Sinks.One<byte[]> requestBody = Sinks.one();

	private final Sinks.One<CapturedResponse> legacyResponse = Sinks.one();

	private final AtomicBoolean requestSettled = new AtomicBoolean();

	private final AtomicBoolean legacySettled = new AtomicBoolean();

	private final AtomicBoolean finished = new AtomicBoolean();

	private volatile String skipReason = "no legacy response";

	/** The bytes of the request and legacy copies, given back when the mirror ends. */
	private final BodyBudget.Reservation buffers;

	/**
	 * Creates the mirror of a request; {@link #start()} sends it.
	 * @param context what is mirrored, and where
	 * @param services the collaborators shared by all mirrors
	 * @param askLegacyAgain whether legacy is asked a second time (noise detection); the
	 * caller already holds the extra permit
	 */
	Mirror(MirrorContext context, MirrorServices services, boolean askLegacyAgain) {
		this.context = context;
		this.services = services;
		this.askLegacyAgain = askLegacyAgain;
		this.buffers = services.budget().open();
	}

	/**
	 * The mirror of an exchange.
	 * @param exchange the exchange
	 * @return its mirror, or {@code null} if the request is not mirrored
	 */
	@Nullable
	static Mirror of(ServerWebExchange exchange) {
		return exchange.getAttribute(ATTRIBUTE);
	}

	/**
	 * Starts the experiment, detached from the client's exchange: the calls go out as
	 * soon as the request body is known, the comparison runs once legacy's response is
	 * complete too.
	 */
	void start() {
		this.requestBody.asMono()
			.flatMap((body) -> Mono.zip(target(body), legacyAgain(body), legacy()))
			// comparing a large body is work the event loops serving clients must not do
			.publishOn(this.services.compareScheduler())
			.doOnNext((answers) -> this.services.judge()
				.judge(this.context, answers.getT3().orElse(null), answers.getT1(), answers.getT2().orElse(null),
						this.skipReason))
			.switchIfEmpty(Mono.fromRunnable(() -> this.services.judge().skipped(this.context, this.skipReason)))
			.doFinally((signal) -> release())
			.subscribe(null, (ex) -> this.services.judge().failed(this.context, ex));
	}

	private Mono<Answer> target(byte[] body) {
		Route route = this.context.route();
		return this.services.client()
			.send(route.id(), "target", route.target(), this.context.request(), body, route.shadow().timeout(),
					this.context.parent())
			.map(Answer::of)
			.onErrorResume((ex) -> Mono.just(Answer.failed(ex)));
	}

	private Mono<Optional<CapturedResponse>> legacyAgain(byte[] body) {
		if (!this.askLegacyAgain) {
			return Mono.just(Optional.empty());
		}
		Route route = this.context.route();
		return this.services.client()
			.send(route.id(), "legacy", route.legacy(), this.context.request(), body, route.shadow().timeout(),
					this.context.parent())
			.map(Optional::of)
			// a failed second look only means nothing is learned this time
			.onErrorResume((ex) -> Mono.just(Optional.empty()));
	}

	private Mono<Optional<CapturedResponse>> legacy() {
		return this.legacyResponse.asMono().map(Optional::of).defaultIfEmpty(Optional.empty());
	}

	/**
	 * The request body is complete: the mirrored calls can go out.
	 * @param body the whole body (empty if there is none)
	 */
	void requestBody(byte[] body) {
		if (this.requestSettled.compareAndSet(false, true)) {
			this.requestBody.tryEmitValue(body);
		}
	}

	/**
	 * The request is not mirrored after all (body too large, never read).
	 * @param reason why, for the log and the skipped count
	 */
	void skipRequest(String reason) {
		if (this.requestSettled.compareAndSet(false, true)) {
			this.skipReason = reason;
			this.requestBody.tryEmitEmpty();
		}
	}

	/**
	 * Legacy's response as the client got it.
	 * @param response the response
	 */
	void legacyResponse(CapturedResponse response) {
		if (this.legacySettled.compareAndSet(false, true)) {
			this.legacyResponse.tryEmitValue(response);
		}
	}

	/**
	 * There is no legacy response to compare with (the exchange ended without one, or it
	 * was streamed). Harmless once the response was captured.
	 * @param reason why
	 */
	void noLegacyResponse(String reason) {
		if (this.legacySettled.compareAndSet(false, true)) {
			this.skipReason = reason;
			this.legacyResponse.tryEmitEmpty();
		}
	}

	/**
	 * The client's exchange is over: whatever was not captured by now never will be.
	 * Makes sure the experiment ends (and its permits come back) even if legacy never
	 * read the request body or no response went through the gateway's writer.
	 */
	void exchangeEnded() {
		skipRequest("request body not read by legacy");
		noLegacyResponse("no legacy response reached the client");
	}

	/**
	 * Whether legacy's response is still wanted; {@code false} once the experiment ended
	 * (for example because the request was skipped), so it is not copied for nothing.
	 * @return {@code true} while the experiment runs
	 */
	boolean wantsLegacyResponse() {
		return !this.finished.get();
	}

	/**
	 * The largest body copied for this experiment.
	 * @return bytes
	 */
	long maxBody() {
		return this.services.maxBody();
	}

	BodyBudget.Reservation buffers() {
		return this.buffers;
	}

	private void release() {
		if (this.finished.compareAndSet(false, true)) {
			this.buffers.close();
			this.services.limiter().release();
			if (this.askLegacyAgain) {
				this.services.limiter().release();
			}
		}
	}

	@Override
	public String toString() {
		return "Mirror[route=" + this.context.route().id() + ", " + this.context.request() + ", askLegacyAgain="
				+ this.askLegacyAgain + ", finished=" + this.finished.get() + "]";
	}

	/**
	 * The target's answer, or why there is none.
	 *
	 * @param response the response, {@code null} on failure
	 * @param failure the failure, {@code null} on success
	 */
	record Answer(@Nullable CapturedResponse response, @Nullable Throwable failure) {

		static Answer of(CapturedResponse response) {
			return new Answer(response, null);
		}

		static Answer failed(Throwable failure) {
			return new Answer(null, failure);
		}

	}

	/**
	 * What one experiment mirrors.
	 *
	 * @param route the route
	 * @param request the request
	 * @param pathKey the route pattern that matched, the unit noise is learned for
	 * @param parent the client request's observation, if any
	 * @param traceId the client request's trace id, empty if none
	 */
	record MirrorContext(Route route, MirrorRequest request, String pathKey, @Nullable Observation parent,
			String traceId) {

	}

	/**
	 * What every mirror shares.
	 *
	 * @param client sends the mirrored calls
	 * @param limiter bounds them; the mirror releases its permits
	 * @param judge compares and records
	 * @param compareScheduler where comparisons run
	 * @param maxBody largest body copied
	 * @param budget the gateway-wide budget the copies are taken from
	 */
	record MirrorServices(ShadowClient client, ShadowLimiter limiter, ShadowJudge judge, Scheduler compareScheduler,
			long maxBody, BodyBudget budget) {

	}

}
