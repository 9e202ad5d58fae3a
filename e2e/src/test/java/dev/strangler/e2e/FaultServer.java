package dev.strangler.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A backend on raw sockets that misbehaves on request: the last path segment names the
 * {@link Fault} it plays ({@code GET /any/prefix/reset-mid-body}). Every request it reads
 * is recorded, so a test can tell what reached it and how often (what was re-sent).
 *
 * <pre>{@code
 * try (FaultServer target = FaultServer.start("target")) {
 *     URI uri = target.baseUri();
 *     target.received("POST", "/m/status-500"); // how many such requests arrived
 * }
 * }</pre>
 *
 * <p>
 * A server, unlike WireMock, can be made to break a response exactly where the matrix
 * needs: after the headers, in the middle of a body of announced length, inside a chunked
 * body. Every answer closes the connection, so one request's fault never leaks into the
 * next.
 */
final class FaultServer implements AutoCloseable {

	/**
	 * How long {@link Fault#DELAY} waits: past every timeout the fault matrix configures.
	 */
	static final Duration DELAY = Duration.ofSeconds(4);

	private static final int MAX_HEAD = 64 * 1024;

	private final String name;

	private final ServerSocket socket;

	private final ExecutorService workers = Executors.newCachedThreadPool();

	private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final boolean playsFaults;

	private FaultServer(String name, ServerSocket socket, boolean playsFaults) {
		this.name = name;
		this.socket = socket;
		this.playsFaults = playsFaults;
	}

	/**
	 * Listens on a free loopback port and plays the fault each request's path names,
	 * until closed.
	 */
	static FaultServer start(String name) {
		return start(name, true);
	}

	/**
	 * Like {@link #start(String)}, but answers every request with a 200, whatever its
	 * path: a healthy backend that records what it receives.
	 */
	static FaultServer startHealthy(String name) {
		return start(name, false);
	}

	private static FaultServer start(String name, boolean playsFaults) {
		try {
			ServerSocket socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
			FaultServer server = new FaultServer(name, socket, playsFaults);
			server.workers.execute(server::acceptLoop);
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	URI baseUri() {
		return URI.create("http://127.0.0.1:" + this.socket.getLocalPort());
	}

	/**
	 * How many requests with this method and path (query excluded) arrived so far.
	 */
	int received(String method, String path) {
		String key = method + " " + path;
		return (int) this.received.stream().filter(key::equals).count();
	}

	/**
	 * Every request that arrived so far, as {@code METHOD /path}.
	 */
	List<String> received() {
		return List.copyOf(this.received);
	}

	private void acceptLoop() {
		while (!this.socket.isClosed()) {
			try {
				Socket connection = this.socket.accept();
				this.workers.execute(() -> serve(connection));
			}
			catch (IOException ex) {
				// Closed: the loop ends.
			}
		}
	}

	private void serve(Socket connection) {
		Fault fault = Fault.NONE;
		try {
			connection.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
			InputStream in = connection.getInputStream();
			String head = readHead(in);
			if (head == null) {
				connection.close();
				return;
			}
			String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
			String method = requestLine[0];
			String path = URI.create(requestLine[1]).getRawPath();
			readBody(in, head);
			this.received.add(method + " " + path);
			fault = this.playsFaults ? Fault.ofSegment(path.substring(path.lastIndexOf('/') + 1)) : Fault.NONE;
			if (fault == Fault.DELAY) {
				// A slow backend holds the connection but no thread of its own.
				this.delayed.schedule(() -> answerAndClose(Fault.NONE, connection), DELAY.toMillis(),
						TimeUnit.MILLISECONDS);
				return;
			}
		}
		catch (IOException ex) {
			close(connection);
			return;
		}
		answerAndClose(fault, connection);
	}

	private void answerAndClose(Fault fault, Socket connection) {
		try {
			play(fault, connection);
		}
		catch (IOException ex) {
			// The gateway gave up on the call (a timeout): nothing to answer.
		}
		finally {
			close(connection);
		}
	}

	private static void close(Socket connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// Gone already.
		}
	}

	private void play(Fault fault, Socket connection) throws IOException {
		OutputStream out = connection.getOutputStream();
		String body = "{\"from\":\"" + this.name + "\"}";
		switch (fault) {
			case NONE, DELAY, CONNECTION_REFUSED -> out.write(response(200, body));
			case STATUS_500 -> out.write(response(500, "{\"from\":\"" + this.name + "\",\"error\":500}"));
			case STATUS_503 -> out.write(response(503, "{\"from\":\"" + this.name + "\",\"error\":503}"));
			case RESET_BEFORE_RESPONSE -> reset(connection);
			case RESET_MID_BODY -> {
				out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n"
						+ "Connection: close\r\n\r\n{\"from\":\"" + this.name + "\",\"items\":[1,2,3"));
				out.flush();
				reset(connection);
			}
			case EMPTY_REPLY -> connection.shutdownOutput();
			case MALFORMED_CHUNKED -> {
				out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
						+ "Connection: close\r\n\r\n5\r\n{\"fro\r\nzz-not-hex\r\nm\":1}\r\n0\r\n\r\n"));
			}
		}
		out.flush();
	}

	private static void reset(Socket connection) throws SocketException, IOException {
		// SO_LINGER 0: close() sends RST, not FIN.
		connection.setSoLinger(true, 0);
		connection.close();
	}

	private static byte[] response(int status, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return ascii("HTTP/1.1 " + status + " " + ((status == 200) ? "OK" : "Error") + "\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n"
				+ body);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4 && head.size() < MAX_HEAD) {
			int b = in.read();
			if (b < 0) {
				return null;
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private static void readBody(InputStream in, String head) throws IOException {
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				long length = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				in.readNBytes((int) length);
			}
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		this.delayed.shutdownNow();
		this.workers.shutdownNow();
		try {
			this.workers.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "FaultServer[" + this.name + "@" + baseUri() + "]";
	}

}
