package dev.strangler.catalog.product;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
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
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.detail").value(detail));
	}

	@Nested
	class Listing {

		@Test
		void firstPageHasTwentyProductsOfTheThousandSortedById() throws Exception {
			perform("/api/products").andExpect(status().isOk())
				.andExpect(jsonPath("$.content", hasSize(20)))
				.andExpect(jsonPath("$.content[0].id").value(1))
				.andExpect(jsonPath("$.totalElements").value(1000))
				.andExpect(jsonPath("$.totalPages").value(50))
				.andExpect(jsonPath("$.generatedAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z")));
		}

		@Test
		void lastPartialPageCountsAsAPage() throws Exception {
			perform("/api/products?page=142&size=7")
				.andExpect(jsonPath("$.content[*].id", contains(995, 996, 997, 998, 999, 1000)))
				.andExpect(jsonPath("$.totalPages").value(143));
		}

		@Test
		void filtersByCategoryAndCountsOnlyThatCategory() throws Exception {
			perform("/api/products?category=garden&size=100").andExpect(jsonPath("$.totalElements").value(77))
				.andExpect(jsonPath("$.content", hasSize(77)))
				.andExpect(jsonPath("$.content[*].category.slug", everyItem(is("garden"))));
		}

		@Test
		void equalPricesAreOrderedByIdInBothDirections() throws Exception {
			perform("/api/products?sort=price,asc&size=100")
				.andExpect(jsonPath("$.content[?(@.price == 4.00)].id", contains(132, 187, 501)));
			perform("/api/products?sort=price,desc&size=100&page=9")
				.andExpect(jsonPath("$.content[?(@.price == 4.00)].id", contains(132, 187, 501)));
		}

	}

	@Nested
	class Errors {

		@Test
		void pageIsCheckedBeforeSizeAndSortLikeTheMonolith() throws Exception {
			expectProblem(perform("/api/products?page=-1&size=0&sort=x"), 400,
					"page must be greater than or equal to 0 (was -1)");
			expectProblem(perform("/api/products?size=0&sort=x"), 400, "size must be between 1 and 100 (was 0)");
		}

		@Test
		void unknownPathIsANotFoundProblem() throws Exception {
			expectProblem(perform("/api/unicorns"), 404, "No static resource api/unicorns.");
		}

		@Test
		void writesAreNotAllowed() throws Exception {
			expectProblem(ProductControllerTests.this.mvc.perform(post("/api/products")), 405,
					"Method 'POST' is not supported.");
		}

	}

}
