package dev.strangler.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/fault-matrix.md} shows exactly the expectations {@code FaultMatrixIT}
 * asserts. After changing {@link FaultMatrix}, regenerate the table with
 * {@code ./mvnw -pl e2e -am test -Dtest=FaultMatrixDocumentTests -Dsurefire.failIfNoSpecifiedTests=false -Dfaultmatrix.write=true}.
 */
class FaultMatrixDocumentTests {

	private static final String START = "<!-- fault-matrix:start -->\n";

	private static final String END = "<!-- fault-matrix:end -->";

	private static final Path DOCUMENT = Path.of(System.getProperty("e2e.repository.dir", ".."))
		.resolve("docs/fault-matrix.md");

	@Test
	void theDocumentedTableIsTheOneTheTestsAssert() throws IOException {
		String document = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
		int start = document.indexOf(START);
		int end = document.indexOf(END);
		assertThat(start).as("%s has the marker %s", DOCUMENT, START.strip()).isNotNegative();
		assertThat(end).as("%s has the marker %s", DOCUMENT, END).isGreaterThan(start);
		String rendered = document.substring(0, start + START.length()) + FaultMatrix.markdown()
				+ document.substring(end);
		if (Boolean.getBoolean("faultmatrix.write")) {
			Files.writeString(DOCUMENT, rendered, StandardCharsets.UTF_8);
			document = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
		}
		assertThat(document)
			.as("""
					%s is out of date with FaultMatrix: regenerate it with
					./mvnw -pl e2e -am test -Dtest=FaultMatrixDocumentTests -Dsurefire.failIfNoSpecifiedTests=false -Dfaultmatrix.write=true""",
					DOCUMENT)
			.isEqualTo(rendered);
	}

}
