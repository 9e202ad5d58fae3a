package dev.strangler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports for tests: one to start a server on, one where connections are refused.
 * Both come from binding port 0 and closing it; another process could take the port
 * before it is used, a window that is negligible on a test machine.
 */
public final class Ports {

	private Ports() {
	}

	/**
	 * A loopback port that was free a moment ago, for a server the test starts.
	 * @return the port
	 */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	/**
	 * A loopback port nothing listens on: connections to it are refused.
	 * @return the port
	 */
	public static int closed() {
		return free();
	}

}
