package dev.strangler.catalog.product;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ProductSortTests {

	@Test
	void directionDefaultsToAscending() {
		assertThat(ProductSort.parse("name").orderBy()).isEqualTo("p.name ASC, p.id ASC");
	}

	@Test
	void tiesAreBrokenByAscendingIdEvenWhenDescending() {
		assertThat(ProductSort.parse("price,desc").orderBy()).isEqualTo("p.price DESC, p.id ASC");
	}

	@Test
	void sortingByIdNeedsNoTieBreaker() {
		assertThat(ProductSort.parse("id,desc").orderBy()).isEqualTo("p.id DESC");
	}

	@ParameterizedTest
	@ValueSource(strings = { "stock", "name,up", "name,asc,id", "", "p.name; DROP TABLE products", "NAME" })
	void anythingOutsideTheWhitelistIsRejectedWithTheMonolithsMessage(String sort) {
		assertThatExceptionOfType(InvalidQueryException.class).isThrownBy(() -> ProductSort.parse(sort))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail())
				.isEqualTo("sort must be <field>[,asc|desc] with field one of id, name, price (was '" + sort + "')"));
	}

}
