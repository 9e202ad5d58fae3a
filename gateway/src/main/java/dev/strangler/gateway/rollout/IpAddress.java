package dev.strangler.gateway.rollout;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses IP literals without ever resolving a host name.
 *
 * <p>
 * {@link InetAddress#getByName(String)} falls back to a DNS lookup for anything that is
 * not a literal, and {@code X-Forwarded-For} is client input: a request must never make
 * the gateway query DNS. So IPv4 is matched strictly here (four decimal octets, no
 * leading zeros) and IPv6 is only handed to the JDK in brackets, where it is parsed as a
 * literal or rejected.
 */
final class IpAddress {

	private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

	private static final Pattern IPV4 = Pattern.compile(OCTET + "\\." + OCTET + "\\." + OCTET + "\\." + OCTET);

	private static final Pattern IPV4_WITH_PORT = Pattern.compile("([\\d.]+):\\d{1,5}");

	private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::\\d{1,5})?");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private static final int MAX_IPV6_LENGTH = 45;

	private IpAddress() {
	}

	/**
	 * Parses an IPv4 or IPv6 literal such as {@code 10.0.0.1} or {@code 2001:db8::1}.
	 * @param text the literal
	 * @return the address, or empty when {@code text} is not an IP literal
	 */
	static Optional<InetAddress> parse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		String candidate = text.strip();
		Matcher ipv4 = IPV4.matcher(candidate);
		if (ipv4.matches()) {
			byte[] bytes = new byte[4];
			for (int i = 0; i < 4; i++) {
				bytes[i] = (byte) Integer.parseInt(ipv4.group(i + 1));
			}
			return byAddress(bytes);
		}
		if (IPV6.matcher(candidate).matches()) {
			return parseIpv6(candidate);
		}
		return Optional.empty();
	}

	/**
	 * Parses one {@code X-Forwarded-For} entry: an IP literal, optionally with a port
	 * ({@code 1.2.3.4:80}, {@code [::1]:80}) as some proxies write it.
	 * @param hop the entry
	 * @return the address, or empty when {@code hop} is not an IP literal
	 * ({@code unknown}, a host name, garbage)
	 */
	static Optional<InetAddress> parseForwarded(String hop) {
		if (hop == null) {
			return Optional.empty();
		}
		String candidate = hop.strip();
		Matcher bracketed = BRACKETED_IPV6.matcher(candidate);
		if (bracketed.matches()) {
			return parseIpv6(bracketed.group(1));
		}
		Matcher withPort = IPV4_WITH_PORT.matcher(candidate);
		return parse(withPort.matches() ? withPort.group(1) : candidate);
	}

	private static Optional<InetAddress> parseIpv6(String literal) {
		if (literal.length() > MAX_IPV6_LENGTH) {
			return Optional.empty();
		}
		try {
			// Brackets make the JDK treat it as an IPv6 literal: parsed, or rejected,
			// never
			// looked up.
			return Optional.of(InetAddress.getByName("[" + literal + "]"));
		}
		catch (UnknownHostException ex) {
			return Optional.empty();
		}
	}

	private static Optional<InetAddress> byAddress(byte[] bytes) {
		try {
			return Optional.of(InetAddress.getByAddress(bytes));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("4 bytes are a valid IPv4 address", ex);
		}
	}

}
