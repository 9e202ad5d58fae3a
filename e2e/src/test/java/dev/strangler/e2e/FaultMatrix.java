package dev.strangler.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a client gets, for every backend fault, stage and method: the rules of DESIGN §8
 * as a table. {@code FaultMatrixIT} asserts every cell against a real gateway process,
 * and {@code docs/fault-matrix.md} is rendered from this class ({@link #markdown()}), so
 * the documentation and the tests cannot disagree.
 */
final class FaultMatrix {

	private FaultMatrix() {
	}

	/**
	 * Where a cell's request goes, and what misbehaves: the target of a route in some
	 * stage, or the monolith.
	 */
	enum Setting {

		SHADOW("shadow", "shadow 100 %", true),

		CANARY("canary", "canary 50 %, user on the target", true),

		MIGRATED_FALLBACK("migrated", "migrated, fallback on", true),

		MIGRATED_NO_FALLBACK("migrated-nofallback", "migrated, fallback off", true),

		LEGACY_STAGE("legacy", "stage legacy (monolith faults)", false),

		UNROUTED("unrouted", "unrouted path (monolith faults)", false);

		private final String prefix;

		private final String label;

		private final boolean targetFaults;

		Setting(String prefix, String label, boolean targetFaults) {
			this.prefix = prefix;
			this.label = label;
			this.targetFaults = targetFaults;
		}

		/**
		 * The route id and first path segment of this setting's requests.
		 */
		String prefix() {
			return this.prefix;
		}

		String label() {
			return this.label;
		}

		/**
		 * Whether the fault is the target's (else the monolith's).
		 */
		boolean targetFaults() {
			return this.targetFaults;
		}

	}

	/**
	 * What the client receives.
	 */
	enum Answer {

		/** The monolith's own 200 answer. */
		LEGACY_OK("200, legacy's body"),

		/** The target's own 200 answer. */
		TARGET_OK("200, target's body"),

		/** The failing backend's own 5xx answer, passed on unchanged. */
		BACKEND_5XX("the backend's own 5xx"),

		/** A 502 {@code application/problem+json} from the gateway. */
		PROBLEM_502("502 problem"),

		/** A 504 {@code application/problem+json} from the gateway. */
		PROBLEM_504("504 problem"),

		/**
		 * Status and headers relayed, then the connection closes before the body ends:
		 * the backend broke off after it had started answering, and this request may not
		 * be re-sent, so the client sees the break, as behind any reverse proxy.
		 */
		BROKEN("status relayed, body cut off");

		private final String text;

		Answer(String text) {
			this.text = text;
		}

		String text() {
			return this.text;
		}

	}

	/**
	 * One cell's expected outcome.
	 *
	 * @param answer what the client receives
	 * @param servedBy the backend named by {@code X-Strangler-Backend}: the one that
	 * answered or failed ({@code null} for an unrouted request, which carries none)
	 * @param fallbackReason the {@code X-Strangler-Fallback} reason, {@code null} when
	 * legacy did not stand in for the target
	 * @param targetCalls requests the target receives (a mirror counts)
	 * @param legacyCalls requests the monolith receives
	 */
	record Expectation(Answer answer, String servedBy, String fallbackReason, int targetCalls, int legacyCalls) {

		/** Whether the request was sent to both backends: a fallback. */
		boolean resent() {
			return this.targetCalls > 0 && this.legacyCalls > 0 && this.fallbackReason != null;
		}

	}

	/**
	 * One cell: setting, fault, method.
	 */
	record Cell(Setting setting, Fault fault, String method) {

		String path() {
			return "/" + this.setting.prefix() + ((this.fault == Fault.CONNECTION_REFUSED) ? "-refused" : "") + "/"
					+ this.fault.segment();
		}

		@Override
		public String toString() {
			return this.setting.label() + " × target/monolith " + this.fault.description() + " × " + this.method;
		}

	}

	static List<Cell> cells() {
		List<Cell> cells = new ArrayList<>();
		for (Setting setting : Setting.values()) {
			for (Fault fault : Fault.values()) {
				for (String method : List.of("GET", "POST")) {
					cells.add(new Cell(setting, fault, method));
				}
			}
		}
		return cells;
	}

	/**
	 * The rule for one cell (DESIGN §8).
	 */
	static Expectation expected(Cell cell) {
		return cell.setting().targetFaults() ? targetFault(cell) : monolithFault(cell);
	}

	private static Expectation targetFault(Cell cell) {
		Fault fault = cell.fault();
		boolean get = cell.method().equals("GET");
		int reached = (fault == Fault.CONNECTION_REFUSED) ? 0 : 1;
		if (cell.setting() == Setting.SHADOW) {
			// The client always gets legacy's answer; only GET and HEAD are mirrored by
			// default.
			return new Expectation(Answer.LEGACY_OK, "legacy", null, get ? reached : 0, 1);
		}
		if (fault == Fault.NONE) {
			return new Expectation(Answer.TARGET_OK, "target", null, 1, 0);
		}
		boolean fallback = cell.setting() != Setting.MIGRATED_NO_FALLBACK;
		// After the target may have received a request, only safe methods are re-sent to
		// legacy; anything is re-sent when the target provably never received it.
		if (fallback && (get || fault == Fault.CONNECTION_REFUSED)) {
			return new Expectation(Answer.LEGACY_OK, "legacy", fallbackReason(fault), reached, 1);
		}
		// X-Strangler-Backend names the backend that failed, on a problem too.
		return new Expectation(unsafeAnswer(fault), "target", null, reached, 0);
	}

	private static Expectation monolithFault(Cell cell) {
		Fault fault = cell.fault();
		int reached = (fault == Fault.CONNECTION_REFUSED) ? 0 : 1;
		String servedBy = (cell.setting() == Setting.UNROUTED) ? null : "legacy";
		if (fault == Fault.NONE) {
			return new Expectation(Answer.LEGACY_OK, servedBy, null, 0, 1);
		}
		// Legacy is served transparently: never re-sent, no guard of the gateway's own.
		return new Expectation(unsafeAnswer(fault), servedBy, null, 0, reached);
	}

	/** What a backend's fault becomes when nothing may stand in for it. */
	private static Answer unsafeAnswer(Fault fault) {
		return switch (fault) {
			case NONE -> Answer.TARGET_OK;
			case STATUS_500, STATUS_503 -> Answer.BACKEND_5XX;
			case DELAY -> Answer.PROBLEM_504;
			case RESET_BEFORE_RESPONSE, EMPTY_REPLY, CONNECTION_REFUSED -> Answer.PROBLEM_502;
			case RESET_MID_BODY, MALFORMED_CHUNKED -> Answer.BROKEN;
		};
	}

	private static String fallbackReason(Fault fault) {
		return switch (fault) {
			case STATUS_500 -> "status-500";
			case STATUS_503 -> "status-503";
			case DELAY -> "timeout";
			case RESET_BEFORE_RESPONSE, EMPTY_REPLY -> "connection-reset";
			// The first part of the body is read before anything is relayed: a body that
			// breaks off there is a bad response, and legacy answers instead.
			case RESET_MID_BODY, MALFORMED_CHUNKED -> "bad-response";
			case CONNECTION_REFUSED -> "connect-refused";
			case NONE -> null;
		};
	}

	/**
	 * The matrix as the Markdown table of {@code docs/fault-matrix.md}.
	 */
	static String markdown() {
		StringBuilder out = new StringBuilder();
		out.append(
				"<!-- Generated from e2e/src/test/java/dev/strangler/e2e/FaultMatrix.java by FaultMatrixDocumentTests: edit that class, not this table. -->\n");
		for (Setting setting : Setting.values()) {
			out.append("\n### ").append(capitalised(setting.label())).append("\n\n");
			out.append("| ")
				.append(setting.targetFaults() ? "target" : "monolith")
				.append(" fault | method | client gets | served by | `X-Strangler-Fallback` | target received | monolith received | re-sent |\n");
			out.append("|---|---|---|---|---|---:|---:|---|\n");
			for (Cell cell : cells().stream().filter((cell) -> cell.setting() == setting).toList()) {
				Expectation expected = expected(cell);
				out.append("| ")
					.append(cell.fault().description())
					.append(" | ")
					.append(cell.method())
					.append(" | ")
					.append(expected.answer().text())
					.append(" | ")
					.append((expected.servedBy() != null) ? expected.servedBy() : "–")
					.append(" | ")
					.append((expected.fallbackReason() != null) ? "`" + expected.fallbackReason() + "`" : "–")
					.append(" | ")
					.append(expected.targetCalls())
					.append(" | ")
					.append(expected.legacyCalls())
					.append(" | ")
					.append(expected.resent() ? "yes, to legacy" : "no")
					.append(" |\n");
			}
		}
		return out.toString();
	}

	private static String capitalised(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	/**
	 * Every cell, one line each, for a failure message.
	 */
	static String describe(List<Cell> cells) {
		return cells.stream().map((cell) -> cell + " → " + expected(cell)).collect(Collectors.joining("\n"));
	}

}
