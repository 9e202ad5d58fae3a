package dev.strangler.gateway.progression;

import java.time.Duration;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Starts the controller once the context is up, and stops it as soon as the context
 * starts closing, while the Redis connection is still open, so that a stopping instance
 * gives the decision lease up and another takes over at its next tick. (As a bean's
 * destroy method it ran too late: Spring Data Redis stops its connection factory as a
 * lifecycle bean, before any bean is destroyed.)
 */
final class ProgressionLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	private final ProgressionController controller;

	private final Duration tick;

	private final ApplicationContext context;

	private volatile boolean running;

	ProgressionLifecycle(ProgressionController controller, Duration tick, ApplicationContext context) {
		this.controller = controller;
		this.tick = tick;
		this.context = context;
	}

	@Override
	public void start() {
		this.controller.start(this.tick);
		this.running = true;
	}

	// Published before any lifecycle bean is stopped.
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// The management server's child context publishes its own closing here too.
		if (event.getApplicationContext() == this.context) {
			stop();
		}
	}

	@Override
	public void stop() {
		this.controller.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public String toString() {
		return "ProgressionLifecycle[" + this.controller + "]";
	}

}
