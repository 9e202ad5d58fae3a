package dev.strangler.gateway.progression;

import java.time.Duration;

import dev.strangler.gateway.evidence.EvidenceFigures;
import dev.strangler.gateway.evidence.EvidenceWindow;

/**
 * Turns the evidence module's window of a route into the figures the state machine
 * judges. The window is cluster-wide with the Redis store and this instance's otherwise;
 * the machine does not need to know which.
 */
final class WindowFigures {

	private WindowFigures() {
	}

	static IntervalFigures of(EvidenceWindow window, boolean circuitOpen) {
		EvidenceFigures total = window.total();
		return new IntervalFigures(total.shadow().compared(), total.shadow().mismatch(), backend(total.legacy()),
				backend(total.target()), circuitOpen);
	}

	private static BackendFigures backend(dev.strangler.gateway.evidence.BackendFigures figures) {
		double p99 = figures.p99().map(Duration::toNanos).map((nanos) -> nanos / 1e6).orElse(0.0);
		return new BackendFigures(figures.requests(), figures.errors(), p99);
	}

}
