package dev.strangler.gateway.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Prints every thread's stack when a test fails by waiting too long (a client's response
 * timeout, an Awaitility condition), then lets the failure through unchanged.
 *
 * <p>
 * Why: a wait that times out only on a busy build machine says nothing about what the
 * gateway was doing meanwhile; the stacks of its event loops and schedulers at that
 * moment do. Registered for every gateway test through {@code META-INF/services} and
 * {@code junit-platform.properties}.
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
		if (isTimeout(throwable)) {
			System.err.println("Thread dump after " + context.getDisplayName() + " timed out ("
					+ throwable.getClass().getSimpleName() + "):");
			System.err.println(threadDump());
		}
		throw throwable;
	}

	private static boolean isTimeout(Throwable throwable) {
		for (Throwable cause = throwable; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException
					|| cause.getClass().getName().equals("org.awaitility.core.ConditionTimeoutException")) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static String threadDump() {
		StringBuilder dump = new StringBuilder();
		ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
		Arrays.sort(threads, Comparator.comparing(ThreadInfo::getThreadName));
		for (ThreadInfo thread : threads) {
			dump.append('"')
				.append(thread.getThreadName())
				.append("\" ")
				.append(thread.getThreadState())
				.append(thread.getLockName() != null ? " on " + thread.getLockName() : "")
				.append(System.lineSeparator());
			for (StackTraceElement frame : thread.getStackTrace()) {
				dump.append("\tat ").append(frame).append(System.lineSeparator());
			}
		}
		return dump.toString();
	}

}
