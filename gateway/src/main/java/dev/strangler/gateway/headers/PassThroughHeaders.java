package dev.strangler.gateway.headers;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.strangler.gateway.routing.RoutingDecision;
import io.netty.handler.codec.http.HttpHeaderNames;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.lang.Nullable;
import org.springframework.util.StringUtils;

/**
 * The headers of a request passed straight through to legacy, and of its response, as the
 * filter chain writes them for the same request: the request's headers less the
 * hop-by-hop ones (Spring Cloud Gateway's configured names and the {@code Connection}
 * options), less {@code Host} (the client sets the backend's) and the client's forwarding
 * headers, plus the forwarding headers decided for it ({@link ForwardingHeaders}); the
 * response's headers less the hop-by-hop ones, plus {@code X-Strangler-Route} and
 * {@code X-Strangler-Backend} for a request a route claimed
 * ({@code strangler.expose-headers}).
 *
 * <p>
 * Which requests it can write is {@link #passable}'s answer: those whose headers need
 * none of the chain's other filters. Every other request goes through the chain.
 */
public final class PassThroughHeaders {

	private static final String GRPC_CONTENT_TYPE = "application/grpc";

	private final ForwardingHeaders forwarding;

	private final RemoveHopByHopHeadersFilter hopByHop;

	private final boolean expose;

	/** The configured hop-by-hop names, read from the filter once per change. */
	private volatile Names names = new Names(Set.of(), new String[0]);

	PassThroughHeaders(ForwardingHeaders forwarding, RemoveHopByHopHeadersFilter hopByHop, boolean expose) {
		this.forwarding = forwarding;
		this.hopByHop = hopByHop;
		this.expose = expose;
	}

	/**
	 * Whether a request's headers can be written here: it carries no body (no
	 * {@code Content-Length} above zero, no {@code Transfer-Encoding}), no
	 * {@code X-Strangler-*} header (a tester's forced backend, or internal headers the
	 * chain removes and reports), no {@code Upgrade}, {@code Expect} or {@code TE}, and
	 * is not gRPC.
	 * @param headers the request's headers
	 * @return {@code false} when the filter chain must handle it
	 */
	public boolean passable(HttpHeaders headers) {
		for (String name : headers.keySet()) {
			if (StranglerHeaders.isInternal(name) || name.equalsIgnoreCase(HttpHeaders.UPGRADE)
					|| name.equalsIgnoreCase(HttpHeaders.EXPECT) || name.equalsIgnoreCase(HttpHeaders.TE)
					|| name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
				return false;
			}
		}
		return headers.getContentLength() <= 0
				&& !StringUtils.startsWithIgnoreCase(headers.getFirst(HttpHeaders.CONTENT_TYPE), GRPC_CONTENT_TYPE);
	}

	/**
	 * The forwarding headers decided for a request ({@link ForwardingHeaders}): what
	 * legacy gets, and a mirror of the request too.
	 * @param request the client's request
	 * @return every forwarding header backends get (read-only)
	 */
	public HttpHeaders forwarding(ServerHttpRequest request) {
		return this.forwarding.forwardingOf(request.getHeaders(), request.getRemoteAddress(), request.getURI());
	}

	/**
	 * Writes the headers legacy gets for a request.
	 * @param request the client's request
	 * @param forwarding its forwarding headers ({@link #forwarding})
	 * @param sent the headers of the call to legacy, written into
	 */
	public void writeRequest(ServerHttpRequest request, HttpHeaders forwarding,
			io.netty.handler.codec.http.HttpHeaders sent) {
		HttpHeaders headers = request.getHeaders();
		String[] removed = names().lowerCase;
		List<String> connectionOptions = headers.getConnection();
		for (Map.Entry<String, List<String>> header : headers.entrySet()) {
			String name = header.getKey();
			if (!ForwardingHeaders.isForwarding(name) && !name.equalsIgnoreCase(HttpHeaders.HOST)
					&& !HeaderNames.containsIgnoringCase(removed, name)
					&& !HeaderNames.containsIgnoringCase(connectionOptions, name) && !sent.contains(name)) {
				// a name listed twice (two cases) is copied once, all its values
				sent.add(name, header.getValue());
			}
		}
		forwarding.forEach(sent::add);
	}

	/**
	 * Writes the headers the client gets with legacy's response.
	 * @param received the response's headers from legacy
	 * @param sent the headers of the response to the client, written into
	 * @param decision the route and backend, {@code null} when no route claimed the
	 * request
	 */
	public void writeResponse(io.netty.handler.codec.http.HttpHeaders received,
			io.netty.handler.codec.http.HttpHeaders sent, @Nullable RoutingDecision decision) {
		String[] removed = names().lowerCase;
		List<String> connectionOptions = received.getAll(HttpHeaderNames.CONNECTION);
		for (Map.Entry<String, String> header : received) {
			String name = header.getKey();
			if (!HeaderNames.containsIgnoringCase(removed, name) && !containsOption(connectionOptions, name)) {
				sent.add(name, header.getValue());
			}
		}
		if (this.expose && decision != null) {
			// set last, so that a backend cannot spoof them
			sent.set(StranglerHeaders.ROUTE, decision.route().id());
			sent.set(StranglerHeaders.BACKEND, decision.backend().value());
		}
	}

	private Names names() {
		Names current = this.names;
		Set<String> configured = this.hopByHop.getHeaders();
		if (current.configured != configured) {
			current = new Names(configured, configured.stream().map(String::toLowerCase).toArray(String[]::new));
			this.names = current;
		}
		return current;
	}

	/** {@code Connection} values as Netty holds them: one comma-separated list each. */
	private static boolean containsOption(List<String> connectionValues, String name) {
		for (int i = 0; i < connectionValues.size(); i++) {
			for (String option : StringUtils.tokenizeToStringArray(connectionValues.get(i), ",")) {
				if (option.equalsIgnoreCase(name)) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "PassThroughHeaders[" + this.forwarding + ", expose=" + this.expose + "]";
	}

	private record Names(Set<String> configured, String[] lowerCase) {
	}

}
