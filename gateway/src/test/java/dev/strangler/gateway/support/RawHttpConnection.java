package dev.strangler.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 client connection on a raw socket, for tests that need requests to go
 * exactly as written: several on one keep-alive connection, or pipelined in one write.
 *
 * <pre>{@code
 * try (RawHttpConnection connection = new RawHttpConnection(port, Duration.ofSeconds(10))) {
 *     connection.send(RawHttpConnection.get("/a") + RawHttpConnection.get("/b"));
 *     assertThat(connection.readResponse().body()).isEqualTo("a");
 *     assertThat(connection.readResponse().body()).isEqualTo("b");
 * }
 * }</pre>
 */
public final class RawHttpConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	/**
	 * Connects to 127.0.0.1.
	 * @param port the server's port
	 * @param readTimeout how long a read may wait before it fails
	 * @throws IOException when the connection cannot be made
	 */
	public RawHttpConnection(int port, Duration readTimeout) throws IOException {
		this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
		this.socket.setSoTimeout((int) readTimeout.toMillis());
		this.in = this.socket.getInputStream();
		this.out = this.socket.getOutputStream();
	}

	/**
	 * A bodyless {@code GET} request, as text.
	 * @param path the path and query
	 * @param headerLines further header lines, without line ends
	 * @return the request
	 */
	public static String get(String path, String... headerLines) {
		StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
		for (String line : headerLines) {
			request.append(line).append("\r\n");
		}
		return request.append("\r\n").toString();
	}

	/**
	 * Writes requests as they are, in one write.
	 * @param requests one or more requests
	 * @throws IOException when the write fails
	 */
	public void send(String requests) throws IOException {
		this.out.write(requests.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
	}

	/**
	 * Reads the next response, its body framed by {@code Content-Length} or chunked, so
	 * the connection stays usable for the next one.
	 * @return the response
	 * @throws IOException when the connection closes or a read times out
	 */
	public Response readResponse() throws IOException {
		String head = readLine("\r\n\r\n");
		String lowerHead = head.toLowerCase(Locale.ROOT);
		if (lowerHead.contains("\r\ntransfer-encoding: chunked\r\n")) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			for (int size = chunkSize(); size > 0; size = chunkSize()) {
				body.write(this.in.readNBytes(size));
				readLine("\r\n");
			}
			readLine("\r\n");
			return new Response(head, body.toString(StandardCharsets.UTF_8));
		}
		int length = lowerHead.lines()
			.filter((line) -> line.startsWith("content-length:"))
			.map((line) -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
			.findFirst()
			.orElseThrow(() -> new IOException("no Content-Length in " + head));
		return new Response(head, new String(this.in.readNBytes(length), StandardCharsets.UTF_8));
	}

	/**
	 * Reads one more byte, as after the last response: waits up to the read timeout.
	 * @return the byte, or {@code -1} once the server has closed the connection
	 * @throws IOException when nothing arrives within the read timeout
	 */
	public int read() throws IOException {
		return this.in.read();
	}

	private int chunkSize() throws IOException {
		return Integer.parseInt(readLine("\r\n").trim(), 16);
	}

	private String readLine(String end) throws IOException {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		while (!text.toString(StandardCharsets.US_ASCII).endsWith(end)) {
			int next = this.in.read();
			if (next < 0) {
				throw new IOException("connection closed after: " + text.toString(StandardCharsets.US_ASCII));
			}
			text.write(next);
		}
		return text.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * One response.
	 *
	 * @param head the status line and headers, with their line ends
	 * @param body the body, decoded as UTF-8
	 */
	public record Response(String head, String body) {

		/**
		 * The whole response as text.
		 * @return head and body
		 */
		public String text() {
			return this.head + this.body;
		}

	}

}
