package dev.strangler.gateway.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive connections stay usable whatever mix of requests they carry: a client that
 * sends its next request before the gateway has finished with the previous one (it has
 * the whole body, so it may), and then one the gateway answers at once (a cache hit),
 * must get an answer to the request after that too. On both ports; raw sockets, so the
 * requests go exactly as written, on one connection.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"strangler.admin.username=ops", "strangler.admin.password=s3cret",
				"strangler.routes.location=classpath:routes/cache/" })
class KeepAliveIntegrationTests {

	static final WireMockServer legacy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	static {
		legacy.start();
	}

	@AfterAll
	static void stopLegacy() {
		legacy.stop();
	}

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		registry.add("strangler.legacy.url", () -> "http://127.0.0.1:" + legacy.port());
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@BeforeEach
	void backend() {
		legacy.resetAll();
		legacy.stubFor(WireMock.get("/cached/slow")
			.willReturn(aResponse().withStatus(200).withFixedDelay(200).withBody("slow")));
		legacy.stubFor(WireMock.get("/cached/fast").willReturn(aResponse().withStatus(200).withBody("fast")));
	}

	/**
	 * The second request arrives while the proxied first is still being finished, so the
	 * server holds it back and serves it afterwards; it is a cache hit, answered at once.
	 * Reactor Netty 1.2 then stopped reading the connection (reactor-netty#4361), and the
	 * third request went unanswered until the client gave up.
	 */
	@Test
	void aRequestAfterAPipelinedCacheHitIsAnswered() throws IOException {
		try (Connection connection = new Connection(this.port)) {
			connection.send(get("/cached/fast"));
			assertThat(connection.readResponse()).contains("Cache-Status: strangler; fwd=miss; stored")
				.endsWith("fast");

			connection.send(get("/cached/slow") + get("/cached/fast"));
			assertThat(connection.readResponse()).endsWith("slow");
			assertThat(connection.readResponse()).contains("Cache-Status: strangler; hit").endsWith("fast");

			connection.send(get("/cached/fast"));
			assertThat(connection.readResponse()).contains("Cache-Status: strangler; hit").endsWith("fast");
		}
	}

	/**
	 * The same on the management port: an admin call (its password check runs off the
	 * event loop), then a call without credentials, refused at once.
	 */
	@Test
	void aRequestAfterAPipelinedRefusalOnTheManagementPortIsAnswered() throws IOException {
		String credentials = "Authorization: Basic "
				+ Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8)) + "\r\n";
		try (Connection connection = new Connection(this.managementPort)) {
			connection.send(get("/actuator/migration", credentials) + get("/actuator/migration", ""));
			assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
			assertThat(connection.readResponse()).startsWith("HTTP/1.1 401");

			connection.send(get("/actuator/migration", credentials));
			assertThat(connection.readResponse()).startsWith("HTTP/1.1 200");
		}
	}

	private static String get(String path) {
		return get(path, "");
	}

	private static String get(String path, String extraHeaders) {
		return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n" + extraHeaders + "\r\n";
	}

	/** One client connection; reads responses framed by {@code Content-Length}. */
	private static final class Connection implements AutoCloseable {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		Connection(int port) throws IOException {
			this.socket = new Socket("127.0.0.1", port);
			// generous for a busy machine, far below the 30 s a hung connection waited
			this.socket.setSoTimeout(10_000);
			this.in = this.socket.getInputStream();
			this.out = this.socket.getOutputStream();
		}

		void send(String requests) throws IOException {
			this.out.write(requests.getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
		}

		/**
		 * The status line, headers and body of the next response, as text; the body
		 * framed by {@code Content-Length} or chunked.
		 */
		String readResponse() throws IOException {
			String head = readUntil("\r\n\r\n");
			String lowerHead = head.toLowerCase(Locale.ROOT);
			if (lowerHead.contains("\r\ntransfer-encoding: chunked\r\n")) {
				StringBuilder body = new StringBuilder();
				int size;
				while ((size = Integer.parseInt(readUntil("\r\n").trim(), 16)) > 0) {
					body.append(new String(this.in.readNBytes(size), StandardCharsets.UTF_8));
					readUntil("\r\n");
				}
				readUntil("\r\n");
				return head + body;
			}
			int length = 0;
			for (String line : lowerHead.split("\r\n")) {
				if (line.startsWith("content-length:")) {
					length = Integer.parseInt(line.substring("content-length:".length()).trim());
				}
			}
			return head + new String(this.in.readNBytes(length), StandardCharsets.UTF_8);
		}

		private String readUntil(String end) throws IOException {
			StringBuilder text = new StringBuilder();
			while (text.indexOf(end) < 0) {
				int next = this.in.read();
				if (next < 0) {
					throw new IOException("connection closed after: " + text);
				}
				text.append((char) next);
			}
			return text.toString();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
