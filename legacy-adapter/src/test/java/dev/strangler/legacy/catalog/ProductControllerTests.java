package dev.strangler.legacy.catalog;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
class ProductControllerTests {

	@Autowired
	MockMvc mvc;

	ResultActions perform(String uri) throws Exception {
		return this.mvc.perform(get(uri));
	}

	ResultActions expectProblem(ResultActions result, int status, String detail) throws Exception {
		return result.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("about:blank"))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.detail").value(detail));
	}

	@Nested
	class Listing {

		@Test
		void firstPageHasTwentyProductsOfTheThousandSortedById() throws Exception {
			perform("/api/products").andExpect(status().isOk())
				.andExpect(content().contentType(MediaType.APPLICATION_JSON))
				.andExpect(jsonPath("$.content", hasSize(20)))
				.andExpect(jsonPath("$.content[0].id").value(1))
				.andExpect(jsonPath("$.content[19].id").value(20))
				.andExpect(jsonPath("$.page").value(0))
				.andExpect(jsonPath("$.size").value(20))
				.andExpect(jsonPath("$.totalElements").value(1000))
				.andExpect(jsonPath("$.totalPages").value(50))
				.andExpect(jsonPath("$.generatedAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z")));
		}

		@Test
		void pagesAreConsecutiveSlicesOfTheSortOrder() throws Exception {
			perform("/api/products?page=3&size=7").andExpect(jsonPath("$.content[0].id").value(22))
				.andExpect(jsonPath("$.content", hasSize(7)))
				.andExpect(jsonPath("$.totalPages").value(143));
		}

		@Test
		void pricesKeepTwoDecimalsAsJsonNumbers() throws Exception {
			perform("/api/products/5").andExpect(content().string(containsString("\"price\":165.00,")));
		}

		@Test
		void pageBeyondTheLastIsEmptyButKeepsTheTotals() throws Exception {
			perform("/api/products?page=100").andExpect(status().isOk())
				.andExpect(jsonPath("$.content", hasSize(0)))
				.andExpect(jsonPath("$.totalElements").value(1000));
		}

		@Test
		void filtersByCategorySlug() throws Exception {
			perform("/api/products?category=garden&size=100").andExpect(status().isOk())
				.andExpect(jsonPath("$.content[*].category.slug", everyItem(is("garden"))))
				.andExpect(jsonPath("$.totalElements").value(77));
		}

		@Test
		void unknownCategoryIsAnEmptyPageNotAnError() throws Exception {
			perform("/api/products?category=unicorns").andExpect(status().isOk())
				.andExpect(jsonPath("$.content", hasSize(0)))
				.andExpect(jsonPath("$.totalElements").value(0))
				.andExpect(jsonPath("$.totalPages").value(0));
		}

		@Test
		void sortsByPriceDescendingWithTiesByIdAscending() throws Exception {
			perform("/api/products?sort=price,desc&size=3")
				.andExpect(jsonPath("$.content[*].id", contains(842, 318, 587)))
				.andExpect(content().string(containsString("\"price\":297.00,")));
			perform("/api/products?sort=price,asc&size=4")
				.andExpect(jsonPath("$.content[*].id", contains(369, 520, 97, 526)));
			// Three products cost 4.00: whatever the direction, they come in id order.
			perform("/api/products?sort=price,asc&size=100")
				.andExpect(jsonPath("$.content[?(@.price == 4.00)].id", contains(132, 187, 501)));
			perform("/api/products?sort=price,desc&size=100&page=9")
				.andExpect(jsonPath("$.content[?(@.price == 4.00)].id", contains(132, 187, 501)));
		}

		@Test
		void sortsByNameWithTiesByIdAscending() throws Exception {
			perform("/api/products?sort=name&size=12&page=3")
				.andExpect(jsonPath("$.content[6].name").value("Classic Treat Jar"))
				.andExpect(jsonPath("$.content[6].id").value(4))
				.andExpect(jsonPath("$.content[7].name").value("Classic Treat Jar"))
				.andExpect(jsonPath("$.content[7].id").value(669));
		}

		@Test
		void sortsByIdDescending() throws Exception {
			perform("/api/products?sort=id,desc&size=2").andExpect(jsonPath("$.content[*].id", contains(1000, 999)));
		}

	}

	@Nested
	class InvalidListingRequests {

		@Test
		void negativePageIsABadRequest() throws Exception {
			expectProblem(perform("/api/products?page=-1"), 400, "page must be greater than or equal to 0 (was -1)")
				.andExpect(jsonPath("$.title").value("Bad Request"))
				.andExpect(jsonPath("$.instance").value("/api/products"));
		}

		@Test
		void sizeMustBeBetweenOneAndAHundred() throws Exception {
			expectProblem(perform("/api/products?size=0"), 400, "size must be between 1 and 100 (was 0)");
			expectProblem(perform("/api/products?size=101"), 400, "size must be between 1 and 100 (was 101)");
			perform("/api/products?size=100").andExpect(jsonPath("$.content", hasSize(100)));
		}

		@Test
		void nonNumericPageIsABadRequest() throws Exception {
			expectProblem(perform("/api/products?page=one"), 400, "Failed to convert 'page' with value: 'one'");
		}

		@Test
		void unknownSortFieldOrDirectionIsABadRequest() throws Exception {
			String expected = "sort must be <field>[,asc|desc] with field one of id, name, price (was '%s')";
			expectProblem(perform("/api/products?sort=stock"), 400, expected.formatted("stock"));
			expectProblem(perform("/api/products?sort=name,up"), 400, expected.formatted("name,up"));
			expectProblem(perform("/api/products?sort=name,asc,id"), 400, expected.formatted("name,asc,id"));
		}

	}

	@Nested
	class Details {

		@Test
		void productHasItsStockAndCategory() throws Exception {
			perform("/api/products/1").andExpect(status().isOk()).andExpect(content().json("""
					{"id":1,"sku":"SKU-00001","name":"Modern Wall Clock","price":112.49,"currency":"EUR",
					 "stock":51,"category":{"id":4,"slug":"home","name":"Home"}}"""));
		}

		@Test
		void unknownProductIsANotFoundProblem() throws Exception {
			expectProblem(perform("/api/products/9999"), 404, "Product 9999 not found")
				.andExpect(jsonPath("$.title").value("Not Found"))
				.andExpect(jsonPath("$.instance").value("/api/products/9999"));
		}

		@Test
		void nonNumericIdIsABadRequestProblem() throws Exception {
			expectProblem(perform("/api/products/abc"), 400, "Failed to convert 'id' with value: 'abc'");
		}

		@Test
		void categoriesAreListedById() throws Exception {
			perform("/api/categories").andExpect(status().isOk())
				.andExpect(jsonPath("$", hasSize(12)))
				.andExpect(jsonPath("$[0]").value(aMapWithSize(3)))
				.andExpect(jsonPath("$[0].slug").value("books"))
				.andExpect(jsonPath("$[11].slug").value("pets"));
		}

	}

	@Nested
	class FrameworkErrors {

		@Test
		void unknownPathIsANotFoundProblem() throws Exception {
			expectProblem(perform("/api/unicorns"), 404, "No static resource api/unicorns.");
		}

		@Test
		void unsupportedMethodIsAMethodNotAllowedProblem() throws Exception {
			expectProblem(ProductControllerTests.this.mvc.perform(delete("/api/products/1")), 405,
					"Method 'DELETE' is not supported.")
				.andExpect(header().string("Allow", "GET"));
		}

	}

}
