package dev.strangler.orders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extracted service starts from exactly the monolith's data (both seeds are written
 * by legacy-adapter/src/seed/SeedGenerator.java): its sales seed is the monolith's, byte
 * for byte, and its products are the monolith's catalog products by id, SKU and name.
 */
class OrdersSeedTests {

	// (id, 'SKU-00001', 'Name', ...: the first three columns of a product row
	private static final Pattern PRODUCT_ROW = Pattern.compile("^  \\((\\d+), ('SKU-\\d+'), ('(?:[^']|'')*')",
			Pattern.MULTILINE);

	@Test
	void salesSeedIsIdenticalToTheMonolithsSeed() throws IOException {
		String monoliths = read("legacy/db/migration/V3__sales_seed.sql");
		assertThat(monoliths).contains("INSERT INTO orders");
		assertThat(read("db/migration/V3__sales_seed.sql")).isEqualTo(monoliths);
	}

	@Test
	void productsAreTheMonolithsCatalogProductsByIdSkuAndName() throws IOException {
		Map<String, String> catalog = products(read("legacy/db/migration/V2__catalog_seed.sql"));
		Map<String, String> ours = products(read("db/migration/V2__product_seed.sql"));
		assertThat(catalog).hasSize(1000);
		assertThat(ours).containsExactlyEntriesOf(catalog);
	}

	private static Map<String, String> products(String sql) {
		Map<String, String> products = new LinkedHashMap<>();
		Matcher row = PRODUCT_ROW.matcher(sql);
		while (row.find()) {
			products.put(row.group(1), row.group(2) + ", " + row.group(3));
		}
		return products;
	}

	private static String read(String path) throws IOException {
		return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
	}

}
