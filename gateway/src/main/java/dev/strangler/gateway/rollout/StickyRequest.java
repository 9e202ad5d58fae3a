package dev.strangler.gateway.rollout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a request a {@link StickyKey} can read, free of any web framework.
 *
 * <p>
 * The gateway adapts its request to this view lazily (nothing is copied per request);
 * tests build one:
 *
 * <pre>{@code
 * StickyRequest request = StickyRequest.builder()
 *     .header("X-User-Id", "42")
 *     .cookie("session", "abc")
 *     .remoteAddress("10.0.0.5")
 *     .build();
 * }</pre>
 */
public interface StickyRequest {

	/**
	 * A request that carries nothing a sticky key could be read from; stands in for the
	 * real one where the decision does not read it.
	 */
	StickyRequest NONE = builder().build();

	/**
	 * Returns the values of a header, in order.
	 * @param name the header name, matched ignoring case
	 * @return the values, empty when absent
	 */
	List<String> headerValues(String name);

	/**
	 * Returns the values of a cookie sent by the client.
	 * @param name the cookie name, matched exactly
	 * @return the values, empty when absent
	 */
	List<String> cookieValues(String name);

	/**
	 * Returns the values of a query parameter, decoded.
	 * @param name the parameter name, matched exactly
	 * @return the values, empty when absent
	 */
	List<String> queryValues(String name);

	/**
	 * Returns the address of the direct peer (the client or the last proxy).
	 * @return the peer's address, empty when unknown
	 */
	Optional<InetAddress> remoteAddress();

	/**
	 * Returns a builder for a request view held in memory.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds a {@link StickyRequest} held in memory.
	 */
	final class Builder {

		private final Map<String, List<String>> headers = new LinkedHashMap<>();

		private final Map<String, List<String>> cookies = new LinkedHashMap<>();

		private final Map<String, List<String>> query = new LinkedHashMap<>();

		private InetAddress remoteAddress;

		private Builder() {
		}

		public Builder header(String name, String value) {
			this.headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>()).add(value);
			return this;
		}

		public Builder cookie(String name, String value) {
			this.cookies.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			return this;
		}

		public Builder query(String name, String value) {
			this.query.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
			return this;
		}

		/**
		 * Sets the direct peer's address.
		 * @param ipLiteral an IPv4 or IPv6 literal, never a host name
		 * @return this builder
		 */
		public Builder remoteAddress(String ipLiteral) {
			this.remoteAddress = IpAddress.parse(ipLiteral)
				.orElseThrow(() -> new IllegalArgumentException("not an IP address: " + ipLiteral));
			return this;
		}

		public Builder remoteAddress(InetAddress address) {
			this.remoteAddress = address;
			return this;
		}

		public StickyRequest build() {
			return new InMemoryStickyRequest(copy(this.headers), copy(this.cookies), copy(this.query),
					Optional.ofNullable(this.remoteAddress));
		}

		private static Map<String, List<String>> copy(Map<String, List<String>> values) {
			Map<String, List<String>> copy = new LinkedHashMap<>();
			values.forEach((name, list) -> copy.put(name, List.copyOf(list)));
			return Map.copyOf(copy);
		}

	}

}
