package dev.strangler.orders.order;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Expected bodies are the monolith's responses, byte for byte (two-decimal amounts, UTC
 * timestamps, lines in insertion order).
 */
@SpringBootTest
@AutoConfigureMockMvc
class OrderControllerTests {

	@Autowired
	MockMvc mvc;

	ResultActions perform(String uri) throws Exception {
		return this.mvc.perform(get(uri));
	}

	@Nested
	class Reading {

		@Test
		void orderIsServedWithItsLinesAndTheMonolithsBody() throws Exception {
			perform("/api/orders/1").andExpect(status().isOk())
				.andExpect(content().contentType(MediaType.APPLICATION_JSON))
				.andExpect(content().string("{\"id\":1,\"customerId\":66,\"status\":\"PLACED\","
						+ "\"createdAt\":\"2024-01-03T09:07:39Z\",\"lines\":["
						+ "{\"productId\":32,\"sku\":\"SKU-00032\",\"name\":\"Smart Bird Perch\",\"quantity\":2,"
						+ "\"unitPrice\":78.93,\"lineTotal\":157.86},"
						+ "{\"productId\":253,\"sku\":\"SKU-00253\",\"name\":\"Urban Notebook\",\"quantity\":1,"
						+ "\"unitPrice\":82.00,\"lineTotal\":82.00}],\"total\":239.86,\"currency\":\"EUR\"}"));
		}

		@Test
		void totalsKeepTheirTrailingZero() throws Exception {
			perform("/api/orders/200").andExpect(status().isOk())
				.andExpect(content().string(org.hamcrest.Matchers.endsWith("\"total\":107.60,\"currency\":\"EUR\"}")));
		}

	}

	@Nested
	class Errors {

		@Test
		void orderAfterTheLastSeededOneIsTheMonolithsNotFoundProblem() throws Exception {
			perform("/api/orders/201").andExpect(status().isNotFound())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(content().string("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
						+ "\"detail\":\"Order 201 not found\",\"instance\":\"/api/orders/201\"}"));
		}

		@Test
		void idTooLargeForALongIsABadRequestProblem() throws Exception {
			perform("/api/orders/99999999999999999999").andExpect(status().isBadRequest())
				.andExpect(content().string("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
						+ "\"detail\":\"Failed to convert 'id' with value: '99999999999999999999'\","
						+ "\"instance\":\"/api/orders/99999999999999999999\"}"));
		}

		@Test
		void ordersAreReadOnlyHere() throws Exception {
			// POST /api/orders stays in the monolith (the route claims GET and HEAD only)
			OrderControllerTests.this.mvc.perform(post("/api/orders/1"))
				.andExpect(status().isMethodNotAllowed())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		}

	}

}
