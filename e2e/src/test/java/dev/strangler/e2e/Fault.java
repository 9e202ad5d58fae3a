package dev.strangler.e2e;

import java.util.Locale;

/**
 * What a backend does wrong in the fault matrix. {@link FaultServer} plays the faults
 * that a server can produce; the last two are properties of the backend's address, not of
 * a server.
 */
enum Fault {

	/** No fault: a 200 with the backend's own JSON body (the control cell). */
	NONE("answers 200"),

	/** A 500 answer with a JSON body. */
	STATUS_500("answers 500"),

	/** A 503 answer with a JSON body. */
	STATUS_503("answers 503"),

	/**
	 * Answers only after {@link FaultServer#DELAY}, past every timeout the matrix sets.
	 */
	DELAY("answers after the timeout"),

	/** Reads the request, then resets the connection before writing anything. */
	RESET_BEFORE_RESPONSE("resets before responding"),

	/**
	 * Sends status, headers and part of a fixed-length body, then resets the connection.
	 */
	RESET_MID_BODY("resets in the middle of the body"),

	/** Reads the request and closes the connection without a byte of response. */
	EMPTY_REPLY("closes with an empty reply"),

	/** Sends status and headers of a chunked body, then a chunk whose size is not hex. */
	MALFORMED_CHUNKED("sends a malformed chunked body"),

	/** Nothing listens on the backend's port. */
	CONNECTION_REFUSED("refuses the connection");

	private final String description;

	Fault(String description) {
		this.description = description;
	}

	/**
	 * The path segment that selects this fault on a {@link FaultServer}.
	 */
	String segment() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	String description() {
		return this.description;
	}

	/**
	 * Whether a {@link FaultServer} plays it (the others are the backend's address).
	 */
	boolean playedByServer() {
		return this != CONNECTION_REFUSED;
	}

	static Fault ofSegment(String segment) {
		for (Fault fault : values()) {
			if (fault.segment().equals(segment)) {
				return fault;
			}
		}
		return NONE;
	}

}
