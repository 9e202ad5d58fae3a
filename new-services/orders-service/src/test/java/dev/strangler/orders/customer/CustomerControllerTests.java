package dev.strangler.orders.customer;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Expected bodies are the monolith's responses, byte for byte.
 */
@SpringBootTest
@AutoConfigureMockMvc
class CustomerControllerTests {

	@Autowired
	MockMvc mvc;

	@Test
	void customerIsFoundByIdWithTheMonolithsBody() throws Exception {
		this.mvc.perform(get("/api/customers/1"))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(content().string("""
					{"id":1,"name":"Leonie Rossi","email":"leonie.rossi1@example.com","city":"Zagreb"}"""));
	}

	@Test
	void unknownCustomerIsTheMonolithsNotFoundProblem() throws Exception {
		this.mvc.perform(get("/api/customers/101"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(content().string("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
					+ "\"detail\":\"Customer 101 not found\",\"instance\":\"/api/customers/101\"}"));
	}

	@Test
	void nonNumericIdIsTheMonolithsBadRequestProblem() throws Exception {
		this.mvc.perform(get("/api/customers/abc"))
			.andExpect(status().isBadRequest())
			.andExpect(content().string("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
					+ "\"detail\":\"Failed to convert 'id' with value: 'abc'\",\"instance\":\"/api/customers/abc\"}"));
	}

}
