package dev.strangler.gateway.headers;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.strangler.gateway.rollout.TrustedProxies;

import org.springframework.http.HttpHeaders;
import org.springframework.lang.Nullable;

/**
 * The forwarding headers a backend gets, as a well-configured reverse proxy writes them:
 * the direct peer appended to {@code X-Forwarded-For}; {@code X-Forwarded-Proto},
 * {@code -Host} and {@code -Port} set; optionally an RFC 7239 {@code Forwarded} element
 * appended. What the client sent is kept only when the peer is a trusted proxy; from
 * anyone else every {@code X-Forwarded-*} and {@code Forwarded} header is dropped first,
 * so that no client can make a backend believe another address, host or scheme.
 *
 * <pre>{@code
 * ForwardingHeaders forwarding = new ForwardingHeaders(TrustedProxies.of(List.of("10.0.0.0/8")), false);
 * forwarding.apply(headers, peer, requestUri); // X-Forwarded-For: <client's hops, if trusted>, <peer>
 * }</pre>
 */
final class ForwardingHeaders {

	static final String X_FORWARDED_PREFIX = "X-Forwarded-";

	static final String X_FORWARDED_FOR = "X-Forwarded-For";

	static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";

	static final String X_FORWARDED_HOST = "X-Forwarded-Host";

	static final String X_FORWARDED_PORT = "X-Forwarded-Port";

	static final String FORWARDED = "Forwarded";

	/**
	 * RFC 9110 token characters: a {@code Forwarded} value of other characters is quoted.
	 */
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

	private final TrustedProxies trustedProxies;

	private final boolean forwardedHeader;

	/**
	 * The last answer for a request that carried no forwarding header of its own: it
	 * depends on the peer and the address the client used only, the same for most
	 * requests (those of one load balancer, or one client's keep-alive connection).
	 */
	@Nullable
	private volatile Computed last;

	ForwardingHeaders(TrustedProxies trustedProxies, boolean forwardedHeader) {
		this.trustedProxies = trustedProxies;
		this.forwardedHeader = forwardedHeader;
	}

	/**
	 * Whether a header is one of those this class writes (case-insensitive).
	 * @param name a header name
	 * @return {@code true} for {@code X-Forwarded-*} and {@code Forwarded}
	 */
	static boolean isForwarding(String name) {
		return name.regionMatches(true, 0, X_FORWARDED_PREFIX, 0, X_FORWARDED_PREFIX.length())
				|| name.equalsIgnoreCase(FORWARDED);
	}

	/**
	 * The forwarding headers of one request as backends get them, and only those.
	 * @param requestHeaders the request's headers, left unchanged
	 * @param peer the direct peer, {@code null} when unknown
	 * @param uri the request's URI as the client addressed it (scheme, host, port)
	 * @return read-only headers holding every forwarding header to send
	 */
	HttpHeaders forwardingOf(HttpHeaders requestHeaders, @Nullable InetSocketAddress peer, URI uri) {
		HttpHeaders forwarding = null;
		for (String name : requestHeaders.keySet()) {
			if (isForwarding(name)) {
				if (forwarding == null) {
					forwarding = new HttpHeaders();
				}
				forwarding.addAll(name, requestHeaders.getOrEmpty(name));
			}
		}
		if (forwarding != null) {
			apply(forwarding, peer, uri);
			return HttpHeaders.readOnlyHttpHeaders(forwarding);
		}
		InetAddress peerAddress = (peer != null) ? peer.getAddress() : null;
		Computed last = this.last;
		if (last != null && last.isFor(peerAddress, uri)) {
			return last.headers();
		}
		HttpHeaders computed = new HttpHeaders();
		apply(computed, peer, uri);
		Computed answer = new Computed(peerAddress, uri.getScheme(), uri.getHost(), uri.getPort(),
				HttpHeaders.readOnlyHttpHeaders(computed));
		this.last = answer;
		return answer.headers();
	}

	/**
	 * Rewrites the forwarding headers of one request.
	 * @param headers the request's headers, changed in place
	 * @param peer the direct peer, {@code null} when unknown
	 * @param uri the request's URI as the client addressed it (scheme, host, port)
	 */
	void apply(HttpHeaders headers, @Nullable InetSocketAddress peer, URI uri) {
		InetAddress peerAddress = (peer != null) ? peer.getAddress() : null;
		if (peerAddress == null || !this.trustedProxies.contains(peerAddress)) {
			headers.keySet().removeIf(ForwardingHeaders::isForwarding);
		}
		String peerLiteral = (peerAddress != null) ? literal(peerAddress) : null;
		List<String> hops = new ArrayList<>();
		for (String value : headers.getOrEmpty(X_FORWARDED_FOR)) {
			if (!value.isBlank()) {
				hops.add(value.strip());
			}
		}
		if (peerLiteral != null) {
			hops.add(peerLiteral);
		}
		if (!hops.isEmpty()) {
			headers.set(X_FORWARDED_FOR, String.join(", ", hops));
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "http";
		int port = (uri.getPort() >= 0) ? uri.getPort() : defaultPort(scheme);
		String host = host(uri, scheme, port);
		setIfAbsent(headers, X_FORWARDED_PROTO, scheme);
		if (host != null) {
			setIfAbsent(headers, X_FORWARDED_HOST, host);
		}
		setIfAbsent(headers, X_FORWARDED_PORT, String.valueOf(port));
		if (this.forwardedHeader) {
			appendForwarded(headers, peerAddress, scheme, host);
		}
	}

	private static void appendForwarded(HttpHeaders headers, @Nullable InetAddress peer, String scheme,
			@Nullable String host) {
		List<String> elements = new ArrayList<>();
		if (peer != null) {
			String node = (peer instanceof Inet6Address) ? "[" + literal(peer) + "]" : literal(peer);
			elements.add("for=" + quoteIfNeeded(node));
		}
		elements.add("proto=" + scheme);
		if (host != null) {
			elements.add("host=" + quoteIfNeeded(host));
		}
		List<String> values = new ArrayList<>(headers.getOrEmpty(FORWARDED));
		values.add(String.join(";", elements));
		headers.set(FORWARDED, String.join(", ", values));
	}

	private static void setIfAbsent(HttpHeaders headers, String name, String value) {
		if (!headers.containsKey(name)) {
			headers.set(name, value);
		}
	}

	@Nullable
	private static String host(URI uri, String scheme, int port) {
		if (uri.getHost() == null) {
			return null;
		}
		return (port == defaultPort(scheme)) ? uri.getHost() : uri.getHost() + ":" + port;
	}

	private static int defaultPort(String scheme) {
		return "https".equals(scheme) ? 443 : 80;
	}

	/** The address as nginx's {@code $remote_addr} writes it: no brackets, no zone. */
	private static String literal(InetAddress address) {
		String text = address.getHostAddress();
		int zone = text.indexOf('%');
		return (zone < 0) ? text : text.substring(0, zone);
	}

	private static String quoteIfNeeded(String value) {
		return TOKEN.matcher(value).matches() ? value : "\"" + value + "\"";
	}

	/**
	 * The forwarding headers computed for one peer and client-side address.
	 */
	private record Computed(@Nullable InetAddress peer, @Nullable String scheme, @Nullable String host, int port,
			HttpHeaders headers) {

		boolean isFor(@Nullable InetAddress peer, URI uri) {
			return Objects.equals(this.peer, peer) && this.port == uri.getPort()
					&& Objects.equals(this.host, uri.getHost()) && Objects.equals(this.scheme, uri.getScheme());
		}

	}

	@Override
	public String toString() {
		return "ForwardingHeaders[trusted=" + this.trustedProxies + ", forwardedHeader=" + this.forwardedHeader + "]";
	}

}
