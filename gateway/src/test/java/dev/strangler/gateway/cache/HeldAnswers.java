package dev.strangler.gateway.cache;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A WireMock extension that holds back the answers of the stubs naming it
 * ({@code .withTransformers(HeldAnswers.NAME)}) until the test lets them go. A load then
 * stays in flight exactly as long as the test needs: a fixed delay races a busy machine,
 * where the requests meant to join a load may only arrive after it ended.
 *
 * <pre>{@code
 * held.hold();
 * // send the request, await held.arrived() == 1, send the others, await they joined
 * held.release();
 * }</pre>
 */
final class HeldAnswers implements ResponseDefinitionTransformerV2 {

	static final String NAME = "held";

	/** How long an answer is held at most, should a test fail before releasing it. */
	private static final long MAX_HOLD_SECONDS = 30;

	private final AtomicInteger arrived = new AtomicInteger();

	private volatile CountDownLatch gate = new CountDownLatch(0);

	/** Holds the answers of requests arriving from now on, and counts them from zero. */
	void hold() {
		this.arrived.set(0);
		this.gate = new CountDownLatch(1);
	}

	/** Lets every held answer go, and those of requests still to come. */
	void release() {
		this.gate.countDown();
	}

	/**
	 * How many requests for a held stub arrived since {@link #hold}.
	 * @return the count
	 */
	int arrived() {
		return this.arrived.get();
	}

	@Override
	public ResponseDefinition transform(ServeEvent serveEvent) {
		CountDownLatch held = this.gate;
		this.arrived.incrementAndGet();
		try {
			held.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return serveEvent.getResponseDefinition();
	}

	@Override
	public boolean applyGlobally() {
		return false;
	}

	@Override
	public String getName() {
		return NAME;
	}

}
