package dev.strangler.gateway.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonLinesAuditLogTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	@TempDir
	Path dir;

	private static AuditEntry entry(String routeId, int minute) {
		Instant when = T0.plusSeconds(60L * minute);
		RouteOverride after = new RouteOverride(routeId, Optional.of(Stage.CANARY),
				Optional.of(Percent.parse(minute + ".5")), "alice", when, "minute " + minute);
		return new AuditEntry("alice", when, routeId, AuditEntry.Action.SET, "minute " + minute, Optional.empty(),
				Optional.of(after));
	}

	private Path file() {
		return this.dir.resolve(JsonLinesAuditLog.FILE_NAME);
	}

	@Test
	void appendsOneJsonObjectPerLine() throws IOException {
		JsonLinesAuditLog audit = new JsonLinesAuditLog(this.dir);
		audit.append(entry("catalog", 1));
		audit.append(entry("orders", 2));

		List<String> lines = Files.readAllLines(file());
		assertThat(lines).hasSize(2);
		JsonNode first = new ObjectMapper().readTree(lines.get(0));
		assertThat(first.get("who").asText()).isEqualTo("alice");
		assertThat(first.get("when").asText()).isEqualTo("2026-11-22T10:01:00Z");
		assertThat(first.get("routeId").asText()).isEqualTo("catalog");
		assertThat(first.get("action").asText()).isEqualTo("set");
		assertThat(first.get("reason").asText()).isEqualTo("minute 1");
		assertThat(first.get("before").isNull()).isTrue();
		assertThat(first.get("after").get("percent").decimalValue()).isEqualByComparingTo("1.5");
	}

	@Test
	void entriesRoundTripExactly() {
		JsonLinesAuditLog audit = new JsonLinesAuditLog(this.dir);
		AuditEntry set = entry("catalog", 1);
		AuditEntry clear = new AuditEntry("bob", T0, "catalog", AuditEntry.Action.CLEAR, "", set.after(),
				Optional.empty());
		audit.append(set);
		audit.append(clear);

		assertThat(new JsonLinesAuditLog(this.dir).recent(10)).containsExactly(clear, set);
	}

	@Test
	void recentReturnsTheNewestFirstUpToTheLimit() {
		JsonLinesAuditLog audit = new JsonLinesAuditLog(this.dir);
		for (int minute = 0; minute < 50; minute++) {
			audit.append(entry((minute % 2 == 0) ? "catalog" : "orders", minute));
		}

		assertThat(audit.recent(3)).extracting(AuditEntry::reason)
			.containsExactly("minute 49", "minute 48", "minute 47");
		assertThat(audit.recent("catalog", 2)).extracting(AuditEntry::reason).containsExactly("minute 48", "minute 46");
		assertThat(audit.recent("customers", 5)).isEmpty();
		assertThat(audit.recent(0)).isEmpty();
		assertThat(audit.recent(1000)).hasSize(50);
	}

	@Test
	void negativeLimitIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonLinesAuditLog(this.dir).recent(-1))
			.withMessage("limit must not be negative but was -1");
	}

	@Test
	void missingFileHasNoEntries() {
		assertThat(new JsonLinesAuditLog(this.dir).recent(10)).isEmpty();
	}

	@Test
	void truncatedLastLineIsSkippedWithoutLosingEarlierEntries() throws IOException {
		JsonLinesAuditLog audit = new JsonLinesAuditLog(this.dir);
		audit.append(entry("catalog", 1));
		audit.append(entry("catalog", 2));
		// A crash in the middle of an append: half a line, no newline.
		Files.writeString(file(), "{\"when\":\"2026-11-22T10:03:00Z\",\"who\":\"al", StandardOpenOption.APPEND);

		assertThat(audit.recent(10)).extracting(AuditEntry::reason).containsExactly("minute 2", "minute 1");
	}

	@Test
	void lineCutInsideAMultiByteCharacterIsSkipped() throws IOException {
		JsonLinesAuditLog audit = new JsonLinesAuditLog(this.dir);
		audit.append(entry("catalog", 1));
		byte[] umlaut = "{\"reason\":\"M\u00fc".getBytes(StandardCharsets.UTF_8);
		Files.write(file(), java.util.Arrays.copyOf(umlaut, umlaut.length - 1), StandardOpenOption.APPEND);

		assertThat(audit.recent(10)).extracting(AuditEntry::reason).containsExactly("minute 1");
	}

	@Test
	void appendAfterATruncatedLineStartsOnAFreshLine() throws IOException {
		JsonLinesAuditLog audit = new JsonLinesAuditLog(this.dir);
		audit.append(entry("catalog", 1));
		Files.writeString(file(), "{\"when\":\"2026-", StandardOpenOption.APPEND);

		audit.append(entry("catalog", 3));

		assertThat(audit.recent(10)).extracting(AuditEntry::reason).containsExactly("minute 3", "minute 1");
		assertThat(Files.readAllLines(file())).hasSize(3);
	}

	@Test
	void otherInvalidLinesAreSkippedToo() throws IOException {
		JsonLinesAuditLog audit = new JsonLinesAuditLog(this.dir);
		audit.append(entry("catalog", 1));
		Files.writeString(file(), "not json\n{\"who\":\"x\"}\n\n", StandardOpenOption.APPEND);
		audit.append(entry("catalog", 2));

		assertThat(audit.recent(10)).extracting(AuditEntry::reason).containsExactly("minute 2", "minute 1");
	}

}
