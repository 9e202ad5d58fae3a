package dev.strangler.gateway.observe;

import io.micrometer.common.KeyValues;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Spring's convention for {@code http.server.requests}, with the low-cardinality key
 * values and the span's contextual name of the common case computed once instead of per
 * request. The common case is a request with a standard method, a status between 100 and
 * 599, no path pattern (the gateway's routes have none), no error and no aborted
 * connection: its tags depend on the method and the status only, so they are computed by
 * Spring's own convention the first time and then reused. Every other request goes to
 * Spring's convention unchanged, so the metric's name, tags and values are Spring Boot's.
 */
final class PrecomputedServerRequestConvention extends DefaultServerRequestObservationConvention {

	private static final HttpMethod[] METHODS = HttpMethod.values();

	private static final int FIRST_STATUS = 100;

	private static final int STATUSES = 500;

	/**
	 * By method index then status minus 100; filled lazily. Racing threads compute the
	 * same immutable value ({@link KeyValues} has only final fields), so a lost write
	 * only costs one more computation.
	 */
	private final KeyValues[][] keyValues = new KeyValues[METHODS.length][STATUSES];

	private final String[] contextualNames = new String[METHODS.length];

	PrecomputedServerRequestConvention(String name) {
		super(name);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
		int method = commonMethod(context);
		int status = (method >= 0) ? commonStatus(context) : -1;
		if (status < 0) {
			return super.getLowCardinalityKeyValues(context);
		}
		KeyValues values = this.keyValues[method][status];
		if (values == null) {
			values = super.getLowCardinalityKeyValues(context);
			this.keyValues[method][status] = values;
		}
		return values;
	}

	@Override
	public String getContextualName(ServerRequestObservationContext context) {
		int method = commonMethod(context);
		if (method < 0) {
			return super.getContextualName(context);
		}
		String name = this.contextualNames[method];
		if (name == null) {
			name = super.getContextualName(context);
			this.contextualNames[method] = name;
		}
		return name;
	}

	/** The index of a standard method of a request without a path pattern, or -1. */
	private static int commonMethod(ServerRequestObservationContext context) {
		if (context.getCarrier() == null || context.getPathPattern() != null) {
			return -1;
		}
		HttpMethod method = context.getCarrier().getMethod();
		for (int i = 0; i < METHODS.length; i++) {
			// HttpMethod.valueOf hands out these constants for the standard names.
			if (METHODS[i] == method) {
				return i;
			}
		}
		return -1;
	}

	/** The status minus 100 of a response that ended without error or abort, or -1. */
	private static int commonStatus(ServerRequestObservationContext context) {
		ServerHttpResponse response = context.getResponse();
		if (context.getError() != null || context.isConnectionAborted() || response == null) {
			return -1;
		}
		HttpStatusCode status = response.getStatusCode();
		if (status == null) {
			return -1;
		}
		int index = status.value() - FIRST_STATUS;
		return (index >= 0 && index < STATUSES) ? index : -1;
	}

}
