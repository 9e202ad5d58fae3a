package dev.strangler.gateway.state;

import java.util.List;

/**
 * The append-only trail of override changes.
 *
 * <pre>{@code
 * AuditLog audit = new JsonLinesAuditLog(Path.of("data"));
 * List<AuditEntry> lastTen = audit.recent("catalog", 10);
 * }</pre>
 */
public interface AuditLog {

	/**
	 * Records one change durably before returning.
	 * @param entry the change
	 * @throws StateFileException when it cannot be recorded
	 */
	void append(AuditEntry entry);

	/**
	 * Returns the most recent entries of every route, newest first.
	 * @param limit how many at most
	 * @return up to {@code limit} entries
	 */
	List<AuditEntry> recent(int limit);

	/**
	 * Returns the most recent entries of one route, newest first.
	 * @param routeId the route
	 * @param limit how many at most
	 * @return up to {@code limit} entries
	 */
	List<AuditEntry> recent(String routeId, int limit);

}
