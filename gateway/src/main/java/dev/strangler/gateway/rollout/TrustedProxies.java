package dev.strangler.gateway.rollout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The proxies whose {@code X-Forwarded-For} entries the gateway believes, as IP addresses
 * and CIDR ranges, IPv4 and IPv6.
 *
 * <pre>{@code
 * TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.0/8", "fd00::/8", "127.0.0.1"));
 * Optional<InetAddress> client = proxies.clientAddress(peer, request.headerValues("X-Forwarded-For"));
 * }</pre>
 */
public final class TrustedProxies {

	private static final TrustedProxies NONE = new TrustedProxies(List.of());

	private final List<IpRange> ranges;

	private TrustedProxies(List<IpRange> ranges) {
		this.ranges = ranges;
	}

	/**
	 * Returns a list that trusts no proxy: {@code X-Forwarded-For} is always ignored.
	 * @return the empty list
	 */
	public static TrustedProxies none() {
		return NONE;
	}

	/**
	 * Parses trusted proxies.
	 * @param specs addresses ({@code 10.0.0.1}, {@code ::1}) or CIDR ranges
	 * ({@code 10.0.0.0/8}, {@code fd00::/8}); host bits of a range are ignored
	 * @return the trusted proxies
	 * @throws IllegalArgumentException naming the first entry that is not an address or
	 * range
	 */
	public static TrustedProxies of(Collection<String> specs) {
		List<IpRange> ranges = new ArrayList<>();
		for (String spec : specs) {
			ranges.add(IpRange.parse(spec));
		}
		return new TrustedProxies(List.copyOf(ranges));
	}

	/**
	 * Tells whether {@code address} is a trusted proxy.
	 * @param address the address to check
	 * @return {@code true} when a range contains it
	 */
	public boolean contains(InetAddress address) {
		for (IpRange range : this.ranges) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Finds the client's address. {@code X-Forwarded-For} is honoured only when the
	 * direct peer is trusted; it is then walked from the right (each proxy appends the
	 * address it saw), skipping trusted hops, and the first untrusted address is the
	 * client. Entries left of it were written by the client and are never believed. An
	 * entry that is not an address stops the walk at the last trusted hop.
	 * @param peer the direct peer's address
	 * @param forwardedFor the {@code X-Forwarded-For} header values, in order; each may
	 * hold a comma-separated list
	 * @return the client's address, empty when the peer is unknown
	 */
	public Optional<InetAddress> clientAddress(Optional<InetAddress> peer, List<String> forwardedFor) {
		if (peer.isEmpty() || !contains(peer.get())) {
			return peer;
		}
		InetAddress client = peer.get();
		List<String> hops = hops(forwardedFor);
		for (int i = hops.size() - 1; i >= 0; i--) {
			Optional<InetAddress> hop = IpAddress.parseForwarded(hops.get(i));
			if (hop.isEmpty()) {
				return Optional.of(client);
			}
			client = hop.get();
			if (!contains(client)) {
				return Optional.of(client);
			}
		}
		return Optional.of(client);
	}

	private static List<String> hops(List<String> forwardedFor) {
		List<String> hops = new ArrayList<>();
		for (String value : forwardedFor) {
			for (String hop : value.split(",")) {
				if (!hop.isBlank()) {
					hops.add(hop.strip());
				}
			}
		}
		return hops;
	}

	@Override
	public String toString() {
		return "TrustedProxies" + this.ranges;
	}

	/**
	 * One address or CIDR range.
	 */
	private static final class IpRange {

		private final String spec;

		private final byte[] network;

		private final int prefixLength;

		private IpRange(String spec, byte[] network, int prefixLength) {
			this.spec = spec;
			this.network = network;
			this.prefixLength = prefixLength;
		}

		static IpRange parse(String spec) {
			Objects.requireNonNull(spec, "trusted proxy");
			String text = spec.strip();
			int slash = text.indexOf('/');
			String addressText = (slash < 0) ? text : text.substring(0, slash);
			InetAddress address = IpAddress.parse(addressText).orElseThrow(() -> invalid(spec, "not an IP address"));
			byte[] bytes = address.getAddress();
			int maxPrefix = bytes.length * 8;
			int prefix = maxPrefix;
			if (slash >= 0) {
				try {
					prefix = Integer.parseInt(text.substring(slash + 1));
				}
				catch (NumberFormatException ex) {
					throw invalid(spec, "prefix length is not a number");
				}
				if (prefix < 0 || prefix > maxPrefix) {
					throw invalid(spec, "prefix length must be between 0 and " + maxPrefix);
				}
			}
			return new IpRange(text, mask(bytes, prefix), prefix);
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			return bytes.length == this.network.length && Arrays.equals(mask(bytes, this.prefixLength), this.network);
		}

		private static byte[] mask(byte[] bytes, int prefixLength) {
			byte[] masked = bytes.clone();
			for (int i = 0; i < masked.length; i++) {
				int bitsKept = Math.max(0, Math.min(8, prefixLength - i * 8));
				masked[i] &= (byte) (0xFF << (8 - bitsKept));
			}
			return masked;
		}

		private static IllegalArgumentException invalid(String spec, String problem) {
			return new IllegalArgumentException(
					"trusted proxy must be an IP address or CIDR range (10.0.0.0/8, fd00::/8): " + problem + " (was '"
							+ spec + "')");
		}

		@Override
		public String toString() {
			return this.spec;
		}

	}

}
