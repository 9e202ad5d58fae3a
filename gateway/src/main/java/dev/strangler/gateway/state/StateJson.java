package dev.strangler.gateway.state;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strangler.gateway.state.OverrideJson.InvalidJsonException;

/**
 * The JSON forms of overrides and audit entries, the same in every store, for stores
 * outside this package (a shared store keeps them as strings).
 *
 * <pre>{@code
 * String json = StateJson.override(override);
 * RouteOverride back = StateJson.override("catalog", json);
 * }</pre>
 */
public final class StateJson {

	private StateJson() {
	}

	/**
	 * Writes an override.
	 * @param override the override
	 * @return its JSON object, without the route id
	 */
	public static String override(RouteOverride override) {
		return OverrideJson.write(override).toString();
	}

	/**
	 * Reads an override, strictly.
	 * @param routeId the route it belongs to
	 * @param json what {@link #override(RouteOverride)} wrote
	 * @return the override
	 * @throws IllegalArgumentException when the JSON is not a valid override
	 */
	public static RouteOverride override(String routeId, String json) {
		try {
			JsonNode node = OverrideJson.MAPPER.readTree(json);
			return OverrideJson.read(routeId, node, "$");
		}
		catch (IOException | InvalidJsonException ex) {
			throw new IllegalArgumentException("override of route '" + routeId + "' is not valid: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Writes an audit entry.
	 * @param entry the entry
	 * @return its JSON object, as one line of {@code audit.jsonl}
	 */
	public static String auditEntry(AuditEntry entry) {
		return JsonLinesAuditLog.toJson(entry);
	}

	/**
	 * Reads an audit entry, strictly.
	 * @param json what {@link #auditEntry(AuditEntry)} wrote
	 * @return the entry
	 * @throws IllegalArgumentException when the JSON is not a valid entry
	 */
	public static AuditEntry auditEntry(String json) {
		try {
			return JsonLinesAuditLog.read(json);
		}
		catch (IOException | InvalidJsonException ex) {
			throw new IllegalArgumentException("audit entry is not valid: " + ex.getMessage(), ex);
		}
	}

}
