package dev.strangler.gateway.state;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import dev.strangler.gateway.route.Percent;
import dev.strangler.gateway.route.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FileStateImportTests {

	private static final Actor ALICE = Actor.operator("alice");

	@TempDir
	Path oldDir;

	@TempDir
	Path newDir;

	@Test
	void eachOverrideBecomesAnAuditedChangeNamingItsOriginalAuthorAndReason() {
		FileOverrideStore old = store(this.oldDir);
		old.update("catalog", ALICE, "ramp up", (before) -> Optional.of(canary("25")));
		FileOverrideStore target = store(this.newDir);

		FileStateImport.Report report = FileStateImport.from(this.oldDir).into(target);

		assertThat(report.imported()).containsExactly("catalog");
		assertThat(report.kept()).isEmpty();
		RouteOverride imported = target.snapshot().get("catalog").orElseThrow();
		assertThat(imported.settings()).isEqualTo(canary("25"));
		assertThat(imported.who()).isEqualTo(FileStateImport.ACTOR);
		assertThat(imported.reason()).startsWith("imported from the file store ")
			.contains("(set by alice at ")
			.endsWith(": ramp up)");
		assertThat(new JsonLinesAuditLog(this.newDir).recent("catalog", 10)).singleElement()
			.satisfies((entry) -> assertThat(entry.who()).isEqualTo(FileStateImport.ACTOR));
	}

	@Test
	void aRouteTheTargetAlreadyHasStateForIsLeftAloneSoASecondRunImportsNothing() {
		FileOverrideStore old = store(this.oldDir);
		old.update("catalog", ALICE, "old ramp", (before) -> Optional.of(canary("25")));
		old.update("orders", ALICE, "old orders", (before) -> Optional.of(canary("10")));
		FileOverrideStore target = store(this.newDir);
		target.update("orders", ALICE, "newer", (before) -> Optional.of(canary("60")));
		target.update("orders", ALICE, "cleared since", (before) -> Optional.empty());

		FileStateImport.Report first = FileStateImport.from(this.oldDir).into(target);
		FileStateImport.Report second = FileStateImport.from(this.oldDir).into(target);

		assertThat(first.imported()).containsExactly("catalog");
		assertThat(first.kept()).containsExactly("orders");
		assertThat(target.snapshot().get("orders")).as("cleared in the target, not overwritten").isEmpty();
		assertThat(second.imported()).isEmpty();
		assertThat(second.kept()).containsExactlyInAnyOrder("catalog", "orders");
	}

	@Test
	void aDirectoryWithoutAFileStoreIsRefusedNamingTheFile() {
		assertThatExceptionOfType(StateFileException.class).isThrownBy(() -> FileStateImport.from(this.newDir))
			.withMessageContaining("no file store to import at")
			.withMessageContaining(FileOverrideStore.FILE_NAME);
	}

	private static FileOverrideStore store(Path dir) {
		return new FileOverrideStore(dir, new JsonLinesAuditLog(dir), Clock.systemUTC());
	}

	private static OverrideSettings canary(String percent) {
		return new OverrideSettings(Optional.of(Stage.CANARY), Optional.of(Percent.parse(percent)));
	}

}
