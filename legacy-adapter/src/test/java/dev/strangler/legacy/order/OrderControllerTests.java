package dev.strangler.legacy.order;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Placing orders changes stock, so these tests run on a database of their own and never
 * disturb the catalog tests (which share the default one).
 */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:order-tests;DB_CLOSE_DELAY=-1")
@AutoConfigureMockMvc
class OrderControllerTests {

	@Autowired
	MockMvc mvc;

	ResultActions placeOrder(String json) throws Exception {
		return this.mvc.perform(post("/api/orders").contentType(MediaType.APPLICATION_JSON).content(json));
	}

	int stockOf(long productId) throws Exception {
		String body = this.mvc.perform(get("/api/products/" + productId))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JsonPath.read(body, "$.stock");
	}

	ResultActions expectProblem(ResultActions result, int status, String detail) throws Exception {
		return result.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.detail").value(detail))
			.andExpect(jsonPath("$.instance").value("/api/orders"));
	}

	@Nested
	class PlacingAnOrder {

		@Test
		void createsTheOrderAndTakesItsProductsOutOfStock() throws Exception {
			int before = stockOf(1);
			String location = placeOrder("""
					{"customerId":7,"lines":[{"productId":1,"quantity":2},{"productId":2,"quantity":1}]}""")
				.andExpect(status().isCreated())
				.andExpect(header().string("Location", matchesPattern("/api/orders/\\d+")))
				.andExpect(jsonPath("$.customerId").value(7))
				.andExpect(jsonPath("$.status").value("PLACED"))
				.andExpect(jsonPath("$.lines", hasSize(2)))
				.andExpect(jsonPath("$.lines[0].unitPrice").value(112.49))
				.andExpect(jsonPath("$.lines[0].lineTotal").value(224.98))
				.andExpect(jsonPath("$.total").value(244.47))
				.andReturn()
				.getResponse()
				.getHeader("Location");
			assertThat(stockOf(1)).isEqualTo(before - 2);
			OrderControllerTests.this.mvc.perform(get(location))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.total").value(244.47))
				.andExpect(jsonPath("$.lines[1].productId").value(2));
		}

		@Test
		void seededOrdersCanBeRead() throws Exception {
			OrderControllerTests.this.mvc.perform(get("/api/orders/1"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.customerId").value(66))
				.andExpect(jsonPath("$.createdAt").value("2024-01-03T09:07:39Z"))
				.andExpect(jsonPath("$.total").value(239.86));
		}

		@Test
		void unknownOrderIsANotFoundProblem() throws Exception {
			OrderControllerTests.this.mvc.perform(get("/api/orders/99999"))
				.andExpect(status().isNotFound())
				.andExpect(jsonPath("$.detail").value("Order 99999 not found"));
		}

	}

	@Nested
	class InvalidOrders {

		@Test
		void quantityBelowOneIsABadRequestNamingTheField() throws Exception {
			expectProblem(placeOrder("""
					{"customerId":1,"lines":[{"productId":1,"quantity":0}]}"""), 400,
					"lines[0].quantity must be greater than or equal to 1")
				.andExpect(jsonPath("$.errors[0].field").value("lines[0].quantity"));
		}

		@Test
		void missingFieldsAreABadRequestNamingEachField() throws Exception {
			expectProblem(placeOrder("{\"lines\":[]}"), 400, "customerId must not be null; lines must not be empty");
			expectProblem(placeOrder("""
					{"customerId":1,"lines":[{"quantity":1}]}"""), 400, "lines[0].productId must not be null");
		}

		@Test
		void malformedJsonIsABadRequest() throws Exception {
			expectProblem(placeOrder("{\"customerId\":1,"), 400, "Request body is missing or is not valid JSON");
		}

		@Test
		void wronglyTypedValueIsABadRequestNamingTheField() throws Exception {
			expectProblem(placeOrder("""
					{"customerId":1,"lines":[{"productId":1,"quantity":"two"}]}"""), 400,
					"Invalid value for field 'lines[0].quantity'");
		}

		@Test
		void nonJsonContentTypeIsUnsupported() throws Exception {
			OrderControllerTests.this.mvc
				.perform(post("/api/orders").contentType(MediaType.TEXT_PLAIN).content("customer 1 wants product 1"))
				.andExpect(status().isUnsupportedMediaType())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		}

		@Test
		void unknownCustomerIsUnprocessable() throws Exception {
			expectProblem(placeOrder("""
					{"customerId":999,"lines":[{"productId":1,"quantity":1}]}"""), 422, "Customer 999 not found");
		}

		@Test
		void unknownProductIsUnprocessableAndChangesNoStock() throws Exception {
			int before = stockOf(3);
			expectProblem(placeOrder("""
					{"customerId":1,"lines":[{"productId":3,"quantity":1},{"productId":5000,"quantity":1}]}"""), 422,
					"Product 5000 not found");
			assertThat(stockOf(3)).isEqualTo(before);
		}

		@Test
		void insufficientStockIsAConflictAndRollsBackEarlierLines() throws Exception {
			int before = stockOf(4);
			expectProblem(placeOrder("""
					{"customerId":1,"lines":[{"productId":4,"quantity":1},{"productId":5,"quantity":1}]}"""), 409,
					"Insufficient stock for product 5: requested 1, available 0");
			assertThat(stockOf(4)).isEqualTo(before);
		}

		@Test
		void theSameProductTwiceCannotOversell() throws Exception {
			int stock = stockOf(6);
			expectProblem(placeOrder("""
					{"customerId":1,"lines":[{"productId":6,"quantity":%d},{"productId":6,"quantity":1}]}"""
				.formatted(stock)), 409, "Insufficient stock for product 6: requested 1, available 0");
			assertThat(stockOf(6)).isEqualTo(stock);
		}

	}

}
