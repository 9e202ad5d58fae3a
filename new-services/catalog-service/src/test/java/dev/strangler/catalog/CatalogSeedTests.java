package dev.strangler.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extracted catalog starts from exactly the monolith's data: its seed migration must
 * be the monolith's, byte for byte (both are written by legacy-adapter/src/seed).
 */
class CatalogSeedTests {

	@Test
	void catalogSeedIsIdenticalToTheMonolithsSeed() throws IOException {
		String ours = new ClassPathResource("db/migration/V2__catalog_seed.sql")
			.getContentAsString(StandardCharsets.UTF_8);
		String monoliths = new ClassPathResource("legacy/db/migration/V2__catalog_seed.sql")
			.getContentAsString(StandardCharsets.UTF_8);
		assertThat(monoliths).isNotEmpty();
		assertThat(ours).isEqualTo(monoliths);
	}

}
