package dev.strangler.gateway.rollout;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.strangler.gateway.route.StickyKey;

/**
 * Reads a route's sticky key ({@code rollout.stickyBy}) from a request.
 *
 * <pre>{@code
 * StickyKeyExtractor extractor = new StickyKeyExtractor(TrustedProxies.of(List.of("10.0.0.0/8")));
 * Optional<String> key = extractor.extract(StickyKey.parse("header:X-User-Id"), request);
 * }</pre>
 *
 * <p>
 * Headers match ignoring case, cookies and query parameters exactly; the first non-blank
 * value wins. A missing or blank value gives an empty key, and the request is then split
 * at random. {@code client-ip} believes {@code X-Forwarded-For} only from trusted
 * proxies.
 */
public final class StickyKeyExtractor {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private final TrustedProxies trustedProxies;

	/**
	 * Creates an extractor.
	 * @param trustedProxies the proxies whose {@code X-Forwarded-For} is believed
	 */
	public StickyKeyExtractor(TrustedProxies trustedProxies) {
		this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
	}

	/**
	 * Reads {@code stickyBy} from {@code request}.
	 * @param stickyBy where the key is
	 * @param request the request
	 * @return the key, empty when the request does not carry it
	 */
	public Optional<String> extract(StickyKey stickyBy, StickyRequest request) {
		return switch (stickyBy.source()) {
			case HEADER -> first(request.headerValues(stickyBy.name()));
			case COOKIE -> first(request.cookieValues(stickyBy.name()));
			case QUERY -> first(request.queryValues(stickyBy.name()));
			case CLIENT_IP ->
				this.trustedProxies.clientAddress(request.remoteAddress(), request.headerValues(FORWARDED_FOR))
					.map(InetAddress::getHostAddress);
		};
	}

	private static Optional<String> first(List<String> values) {
		return values.stream().map(String::strip).filter((value) -> !value.isEmpty()).findFirst();
	}

	@Override
	public String toString() {
		return "StickyKeyExtractor[trustedProxies=" + this.trustedProxies + "]";
	}

}
