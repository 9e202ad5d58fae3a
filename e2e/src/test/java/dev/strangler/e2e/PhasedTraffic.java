package dev.strangler.e2e;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/**
 * A bounded stream of client traffic through a gateway while a test moves its routes from
 * phase to phase through the admin API: a few client threads each send {@code GET}s, up
 * to a fixed number or until the test {@linkplain #stop() stops} them, and every answer
 * is labelled with the phase it was sent and answered in.
 *
 * <pre>{@code
 * try (PhasedTraffic traffic = PhasedTraffic.start(gateway, "legacy", 4, 600, plan, PhasedTraffic::ok)) {
 *     traffic.awaitAnswered(700);
 *     traffic.switchTo("canary", () -> gateway.override("catalog", "{\"stage\":\"canary\",\"percent\":50}"));
 *     List<Answer> answers = traffic.finish();
 *     List<Answer> canary = answers.stream().filter((answer) -> answer.in("canary")).toList();
 * }
 * }</pre>
 *
 * <p>
 * Why both ends: a request sent just before an admin call may be routed under either
 * stage, so only a request that saw the same phase when it was sent and when its answer
 * came was served entirely under that phase's stage. The phase reads {@link #SWITCHING}
 * from just before an admin call until it has returned, so a request overlapping the call
 * in any way is labelled {@code SWITCHING} and only checked for success.
 */
final class PhasedTraffic implements AutoCloseable {

	/** The label of a request that overlapped an admin call. */
	static final String SWITCHING = "switching";

	private static final Duration MAX_RUN = Duration.ofMinutes(5);

	private final AdminGateway gateway;

	private final AtomicReference<String> phase;

	private final AtomicInteger answered = new AtomicInteger();

	private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

	private final ExecutorService clients;

	private final List<Future<?>> running = new ArrayList<>();

	private final int total;

	private volatile boolean stopped;

	private PhasedTraffic(AdminGateway gateway, String firstPhase, int clients, int requestsPerClient) {
		this.gateway = gateway;
		this.phase = new AtomicReference<>(firstPhase);
		this.clients = Executors.newFixedThreadPool(clients);
		this.total = clients * requestsPerClient;
	}

	/**
	 * Starts {@code clients} threads, each sending up to {@code requestsPerClient}
	 * requests as {@code plan} says, one after the other, until {@link #stop()};
	 * {@code check} judges every answer.
	 */
	static PhasedTraffic start(AdminGateway gateway, String firstPhase, int clients, int requestsPerClient,
			RequestPlan plan, ResponseCheck check) {
		PhasedTraffic traffic = new PhasedTraffic(gateway, firstPhase, clients, requestsPerClient);
		for (int client = 0; client < clients; client++) {
			int id = client;
			traffic.running.add(traffic.clients.submit(() -> {
				for (int i = 0; i < requestsPerClient && !traffic.stopped; i++) {
					traffic.answers.add(traffic.send(plan.request(id, i), check));
					traffic.answered.incrementAndGet();
				}
			}));
		}
		return traffic;
	}

	/**
	 * A check that accepts only {@code 200 OK}.
	 */
	static String ok(ClientRequest request, HttpResponse<byte[]> response) {
		return (response.statusCode() == 200) ? null : request + ": status " + response.statusCode();
	}

	/**
	 * Requests answered so far (successfully or not).
	 */
	int answered() {
		return this.answered.get();
	}

	/**
	 * Waits until {@code count} requests were answered.
	 */
	void awaitAnswered(int count) {
		if (count > this.total) {
			throw new IllegalArgumentException("only " + this.total + " requests are sent, never " + count);
		}
		await(count + " requests answered").atMost(MAX_RUN).until(() -> this.answered.get() >= count);
	}

	/**
	 * Marks the requests from now on as {@link #SWITCHING}, runs {@code change} (the
	 * admin calls), and once it returned labels the requests from then on {@code next}.
	 */
	void switchTo(String next, Runnable change) {
		this.phase.set(SWITCHING);
		change.run();
		this.phase.set(next);
	}

	/**
	 * Lets each client finish the request it is sending and send no more: a phase that
	 * ends the run lasts as long as the test wants, not as long as the requests left over
	 * by the phases before it.
	 */
	void stop() {
		this.stopped = true;
	}

	/**
	 * Waits for every client to send its last request (all of them, or the last before
	 * {@link #stop()}) and returns all answers.
	 */
	List<Answer> finish() throws InterruptedException, ExecutionException, TimeoutException {
		for (Future<?> client : this.running) {
			client.get(MAX_RUN.toMillis(), TimeUnit.MILLISECONDS);
		}
		List<Answer> all = List.copyOf(this.answers);
		int expected = this.stopped ? this.answered.get() : this.total;
		if (all.size() != expected) {
			throw new IllegalStateException(all.size() + " answers, " + expected + " expected");
		}
		return all;
	}

	@Override
	public void close() {
		this.clients.shutdownNow();
	}

	private Answer send(ClientRequest request, ResponseCheck check) {
		String sent = this.phase.get();
		try {
			HttpResponse<byte[]> response = Http
				.send(Http.request(this.gateway.uri(request.path())).header("X-User-Id", request.user()).GET().build());
			return new Answer(label(sent), request, response.statusCode(),
					response.headers().firstValue("X-Strangler-Backend").orElse("none"),
					check.problem(request, response));
		}
		catch (Exception ex) {
			return new Answer(label(sent), request, -1, "none", request + ": " + ex);
		}
	}

	private String label(String sent) {
		return sent.equals(this.phase.get()) ? sent : SWITCHING;
	}

	@Override
	public String toString() {
		return "PhasedTraffic[" + this.phase.get() + ", " + this.answered.get() + "/" + this.total + " answered]";
	}

	/**
	 * The request a client sends as its {@code index}-th.
	 */
	@FunctionalInterface
	interface RequestPlan {

		ClientRequest request(int client, int index);

	}

	/**
	 * Judges one answer.
	 */
	@FunctionalInterface
	interface ResponseCheck {

		/**
		 * What is wrong with the answer, or {@code null} when it is right.
		 */
		String problem(ClientRequest request, HttpResponse<byte[]> response);

	}

	/**
	 * A {@code GET} of {@code path} on behalf of {@code user} ({@code X-User-Id}).
	 */
	record ClientRequest(String path, String user) {

		@Override
		public String toString() {
			return "GET " + this.path + " as " + this.user;
		}

	}

	/**
	 * One answer: the phase it was sent and answered in ({@link #SWITCHING} if they
	 * differ), its status ({@code -1} when none came), the backend that served it
	 * ({@code X-Strangler-Backend}), and what the check found wrong, if anything.
	 */
	record Answer(String phase, ClientRequest request, int status, String backend, String problem) {

		boolean in(String phase) {
			return this.phase.equals(phase);
		}

	}

}
