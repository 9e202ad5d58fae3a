package dev.strangler.gateway.evidence;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name of this gateway instance in the cluster's evidence, so an operator can tell
 * which instance saw a mismatch.
 *
 * @param id {@code strangler.evidence.instance-id}, by default {@code <host>-<pid>}
 */
public record GatewayInstance(String id) {

	public GatewayInstance {
		if (id == null || id.isBlank()) {
			throw new IllegalArgumentException("id must not be blank but was '" + id + "'");
		}
	}

	/**
	 * The configured name, or the host name and process id: two instances on one host (as
	 * in the tests) still differ.
	 * @param configured {@code strangler.evidence.instance-id}, {@code null} or blank for
	 * the default
	 * @return the instance
	 */
	public static GatewayInstance of(String configured) {
		if (configured != null && !configured.isBlank()) {
			return new GatewayInstance(configured.strip());
		}
		return new GatewayInstance(hostName() + "-" + ProcessHandle.current().pid());
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "gateway";
		}
	}

}
