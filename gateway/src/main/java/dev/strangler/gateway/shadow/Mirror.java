package dev.strangler.gateway.shadow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.strangler.gateway.buffer.BodyBudget;
import dev.strangler.gateway.compare.CapturedResponse;
import dev.strangler.gateway.headers.ForwardedRequestHeaders;
import dev.strangler.gateway.observe.RequestTrace;
import dev.strangler.gateway.route.Route;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * The shadow experiment of one client request. On the client's event loop it only
 * collects: the request body and legacy's response, as references to the buffers passing
 * by ({@link BoundedBytes}). Once both are settled, that is once legacy has answered the
 * client, it becomes a job for the {@link MirrorWorker}, which sends the mirrored call
 * (and, while noise is still being learned, a second legacy call) on the shadow path's
 * own event loops; the answers are judged on the comparison threads, unless they are the
 * same small bytes, which takes no comparison engine.
 *
 * <p>
 * Like a GitHub Scientist experiment, it never touches what the client gets: the client's
 * request goes first and the mirror waits for it, never the other way round; it only
 * reads duplicates of the bytes; and it turns every failure of its own into a recorded
 * result. It holds one {@link ShadowLimiter} slot from the moment it is admitted (two
 * while legacy is asked again) and gives them back, with every buffer it kept, however it
 * ends.
 *
 * <p>
 * The copies it keeps of the request and of legacy's answer are reserved from the
 * gateway-wide {@link BodyBudget}; a mirror the budget cannot hold is skipped (and
 * counted), never the client's request.
 */
final class Mirror {

	/** Why a mirror is skipped when the body budget cannot hold its copies. */
	static final String BUDGET_SPENT = "body budget strangler.buffers.max-total spent";

	/**
	 * The largest body two answers may have to be found the same bytes on the mirror's
	 * event loop: comparing that much memory costs less than the hop to a comparison
	 * thread it saves (a task handed over and a thread woken per mirror); larger bodies
	 * go to the comparison threads.
	 */
	static final int SAME_BYTES_MAX_BODY = 16 * 1024;

	/** Exchange attribute holding the mirror of a request that is being mirrored. */
	static final String ATTRIBUTE = Mirror.class.getName();

	private final Route route;

	private final ServerHttpRequest request;

	@Nullable
	private final HttpHeaders forwarding;

	@Nullable
	private final Observation parent;

	@Nullable
	private final RequestTrace unsampled;

	private final MirrorServices services;

	/** Request body and legacy response: the job is ready when both are settled. */
	private final AtomicInteger unsettled = new AtomicInteger(2);

	private final AtomicBoolean requestSettled = new AtomicBoolean();

	private final AtomicBoolean legacySettled = new AtomicBoolean();

	private final AtomicBoolean finished = new AtomicBoolean();

	/** Every buffer holder handed out; released when the mirror finishes. */
	private final List<BoundedBytes> held = new ArrayList<>(4);

	private boolean closed;

	@Nullable
	private volatile BoundedBytes requestBody;

	@Nullable
	private volatile KeptResponse legacy;

	private volatile String skipReason = "no legacy response";

	private volatile boolean askedLegacyAgain;

	/**
	 * Creates the mirror of a request that holds a {@link ShadowLimiter} slot.
	 * @param route the route
	 * @param request the client's request, read (headers, URI) only on the worker
	 * @param forwarding the forwarding headers backends get for it
	 * ({@link ForwardedRequestHeaders}), {@code null} to send its own
	 * @param parent the client request's observation, if any
	 * @param unsampled the client request's trace when it is not sampled and so has no
	 * observation
	 * @param services the collaborators shared by all mirrors
	 */
	Mirror(Route route, ServerHttpRequest request, @Nullable HttpHeaders forwarding, @Nullable Observation parent,
			@Nullable RequestTrace unsampled, MirrorServices services) {
		this.route = route;
		this.request = request;
		this.forwarding = forwarding;
		this.parent = parent;
		this.unsampled = unsampled;
		this.services = services;
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

	Route route() {
		return this.route;
	}

	/**
	 * A new holder for the bytes of the client's exchange (the request body, legacy's
	 * answer), reserved from the gateway-wide body budget and released with the mirror.
	 * @return the holder, bounded by {@code strangler.shadow.max-body}
	 */
	BoundedBytes hold() {
		return held(new BoundedBytes(this.services.maxBody(), this.services.budget().open()));
	}

	/**
	 * A new holder for an answer the mirror itself asked for, on the shadow path's own
	 * event loops; bounded by {@code strangler.shadow.max-body} and by the
	 * {@link ShadowLimiter} slots, released with the mirror.
	 * @return the holder
	 */
	private BoundedBytes holdAnswer() {
		return held(new BoundedBytes(this.services.maxBody()));
	}

	private BoundedBytes held(BoundedBytes bytes) {
		synchronized (this.held) {
			if (this.closed) {
				bytes.release();
			}
			else {
				this.held.add(bytes);
			}
		}
		return bytes;
	}

	/**
	 * The request body is complete.
	 * @param body the whole body, {@code null} if there is none
	 */
	void requestBody(@Nullable BoundedBytes body) {
		if (this.requestSettled.compareAndSet(false, true)) {
			this.requestBody = body;
			settled();
		}
	}

	/**
	 * The request is not mirrored after all (body too large, never read): nothing is
	 * sent, and the mirror ends at once.
	 * @param reason why, for the log and the skipped count
	 */
	void skipRequest(String reason) {
		if (this.requestSettled.compareAndSet(false, true)) {
			this.skipReason = reason;
			if (this.finished.compareAndSet(false, true)) {
				this.services.judge().skipped(context(), reason);
				release();
			}
		}
	}

	/**
	 * The body budget could not hold legacy's answer: the experiment is skipped at once,
	 * and nothing is sent.
	 */
	void legacyOverBudget() {
		if (this.legacySettled.compareAndSet(false, true)) {
			this.skipReason = BUDGET_SPENT;
			if (this.finished.compareAndSet(false, true)) {
				this.services.judge().skipped(context(), BUDGET_SPENT);
				release();
			}
		}
	}

	/**
	 * Legacy's response as the client got it.
	 * @param response the response
	 */
	void legacyResponse(KeptResponse response) {
		if (this.legacySettled.compareAndSet(false, true)) {
			this.legacy = response;
			settled();
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
			settled();
		}
	}

	/**
	 * The client's exchange is over: whatever was not captured by now never will be.
	 * Makes sure the experiment ends (and its slots come back) even if legacy never read
	 * the request body or no response went through the gateway's writer.
	 */
	void exchangeEnded() {
		skipRequest("request body not read by legacy");
		noLegacyResponse("no legacy response reached the client");
	}

	/**
	 * Whether legacy's response is still wanted; {@code false} once the experiment ended
	 * (for example because the request was skipped), so it is not kept for nothing.
	 * @return {@code true} while the experiment runs
	 */
	boolean wantsLegacyResponse() {
		return !this.finished.get();
	}

	private void settled() {
		if (this.unsettled.decrementAndGet() == 0 && !this.finished.get()) {
			// Legacy has answered the client: only now does the mirror go out, and on
			// the shadow path's own threads.
			this.services.worker().submit(this);
		}
	}

	/**
	 * Sends the mirrored call(s) and judges the answers; runs on a mirror event loop.
	 */
	void send() {
		MirrorContext context;
		try {
			context = context();
			this.askedLegacyAgain = this.services.secondLook()
				.take(this.route.id(), context.pathKey(), context.request().method());
		}
		catch (RuntimeException ex) {
			fail(null, ex);
			return;
		}
		ShadowClient client = this.services.client();
		Mono<Reply> target = client.send(context, "target", this.route.target(), this.requestBody, holdAnswer())
			.map(Reply::new)
			.onErrorResume((ex) -> Mono.just(new Reply(ex)));
		Mono<Optional<KeptResponse>> legacyAgain = !this.askedLegacyAgain ? Mono.just(Optional.empty())
				: client.send(context, "legacy", this.route.legacy(), this.requestBody, holdAnswer())
					.map(Optional::of)
					// a failed second look only means nothing is learned this time
					.onErrorResume((ex) -> Mono.just(Optional.empty()));
		Mono.zip(target, legacyAgain)
			.map((answers) -> new Answers(answers.getT1(), answers.getT2().orElse(null),
					sameBytes(answers.getT1(), answers.getT2().orElse(null))))
			// comparing a large body is work the event loops must not do; two answers
			// that are the same small bytes are no such work, and judged here
			.flatMap((answers) -> answers.sameBytes() ? Mono.just(answers)
					: Mono.just(answers).publishOn(this.services.compareScheduler()))
			// a backstop: every path above ends in judge() or fail(), which finish too
			.doFinally((signal) -> finish())
			.subscribe((answers) -> judge(context, answers), (ex) -> fail(context, ex));
	}

	/**
	 * Whether the answers are certainly equal without the comparison engine: no second
	 * legacy answer to learn noise from, and the target's answer the same bytes as
	 * legacy's ({@link KeptResponse#sameBytesAs}) with a body of at most
	 * {@value #SAME_BYTES_MAX_BODY} bytes.
	 */
	private boolean sameBytes(Reply target, @Nullable KeptResponse legacyAgain) {
		KeptResponse legacy = this.legacy;
		return legacyAgain == null && legacy != null && target.response() != null
				&& legacy.sameBytesAs(target.response(), SAME_BYTES_MAX_BODY);
	}

	private void judge(MirrorContext context, Answers answers) {
		if (answers.sameBytes()) {
			try {
				this.services.judge().matched(context);
			}
			finally {
				finish();
			}
			return;
		}
		judge(context, answers.target(), answers.legacyAgain());
	}

	private void judge(MirrorContext context, Reply target, @Nullable KeptResponse legacyAgain) {
		try {
			// the bodies are copied out of their buffers here, on a comparison thread
			KeptResponse legacy = this.legacy;
			CapturedResponse legacyCaptured = (legacy != null) ? legacy.capture() : null;
			CapturedResponse againCaptured = (legacyAgain != null) ? legacyAgain.capture() : null;
			Answer answer = (target.response() != null) ? Answer.of(target.response().capture())
					: Answer.failed(target.failure());
			this.services.judge().judge(context, legacyCaptured, answer, againCaptured, this.skipReason);
		}
		catch (RuntimeException ex) {
			this.services.judge().failed(context, ex);
		}
		finally {
			finish();
		}
	}

	/**
	 * Ends the mirror as an error: it could not be sent or judged.
	 * @param context what was mirrored, {@code null} if not even that is known
	 * @param failure what went wrong
	 */
	void fail(@Nullable MirrorContext context, Throwable failure) {
		try {
			this.services.judge().failed((context != null) ? context : context(), failure);
		}
		catch (RuntimeException ex) {
			this.services.judge().failed(new MirrorContext(this.route, null, "", null, "", null), failure);
		}
		finally {
			finish();
		}
	}

	private void finish() {
		if (this.finished.compareAndSet(false, true)) {
			release();
		}
	}

	private void release() {
		this.services.limiter().release();
		if (this.askedLegacyAgain) {
			this.services.limiter().release();
		}
		synchronized (this.held) {
			this.closed = true;
			this.held.forEach(BoundedBytes::release);
			this.held.clear();
		}
	}

	private MirrorContext context() {
		MirrorRequest mirrored = MirrorRequest.of(this.request, this.forwarding);
		String traceId = (this.unsampled != null) ? this.unsampled.traceId() : traceId(this.parent);
		return new MirrorContext(this.route, mirrored, pathKey(), this.parent, traceId, this.unsampled);
	}

	/**
	 * Noise is learned per route pattern, so that {@code /products/1} teaches
	 * {@code /products/2}.
	 */
	private String pathKey() {
		return this.route.match()
			.mostSpecificMatch(this.request.getPath().pathWithinApplication())
			.map((pattern) -> pattern.getPatternString())
			.orElse(this.request.getPath().value());
	}

	private static String traceId(@Nullable Observation observation) {
		Span span = span(observation);
		return (span != null) ? span.context().traceId() : "";
	}

	/**
	 * The span of the client request's observation, if it has one.
	 * @param observation the observation
	 * @return its span, {@code null} if none
	 */
	@Nullable
	static Span span(@Nullable Observation observation) {
		if (observation == null) {
			return null;
		}
		TracingContext tracing = observation.getContext().get(TracingContext.class);
		return (tracing != null) ? tracing.getSpan() : null;
	}

	@Override
	public String toString() {
		return "Mirror[route=" + this.route.id() + ", " + this.request.getMethod() + " " + this.request.getPath()
				+ ", askedLegacyAgain=" + this.askedLegacyAgain + ", finished=" + this.finished.get() + "]";
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
	 * The answers of one mirror.
	 *
	 * @param target the target's answer
	 * @param legacyAgain legacy's second answer (noise detection), if asked and received
	 * @param sameBytes whether they are certainly equal without the comparison engine
	 * ({@link #sameBytes})
	 */
	private record Answers(Reply target, @Nullable KeptResponse legacyAgain, boolean sameBytes) {

	}

	/** The target's kept answer or its failure, until judged. */
	private record Reply(@Nullable KeptResponse response, @Nullable Throwable failure) {

		Reply(KeptResponse response) {
			this(response, null);
		}

		Reply(Throwable failure) {
			this(null, failure);
		}

	}

	/**
	 * What one experiment mirrors.
	 *
	 * @param route the route
	 * @param request the request, {@code null} only if it could not even be read
	 * @param pathKey the route pattern that matched, the unit noise is learned for
	 * @param parent the client request's observation, if any
	 * @param traceId the client request's trace id, empty if none
	 * @param unsampled the client request's trace when it has no observation, its trace
	 * not being sampled
	 */
	record MirrorContext(Route route, MirrorRequest request, String pathKey, @Nullable Observation parent,
			String traceId, @Nullable RequestTrace unsampled) {

	}

	/**
	 * What every mirror shares.
	 *
	 * @param client sends the mirrored calls
	 * @param limiter bounds the mirrors admitted; the mirror releases its slots
	 * @param worker sends the mirrors that are ready
	 * @param secondLook decides whether legacy is asked again
	 * @param judge compares and records
	 * @param compareScheduler where comparisons run
	 * @param maxBody largest body kept
	 * @param budget the gateway-wide budget the copies of the client's exchange are taken
	 * from
	 */
	record MirrorServices(ShadowClient client, ShadowLimiter limiter, MirrorWorker worker, SecondLook secondLook,
			ShadowJudge judge, Scheduler compareScheduler, long maxBody, BodyBudget budget) {

	}

}
