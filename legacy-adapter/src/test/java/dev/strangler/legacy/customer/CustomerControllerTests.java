package dev.strangler.legacy.customer;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
class CustomerControllerTests {

	@Autowired
	MockMvc mvc;

	@Test
	void customerIsFoundById() throws Exception {
		this.mvc.perform(get("/api/customers/1")).andExpect(status().isOk()).andExpect(content().json("""
				{"id":1,"name":"Leonie Rossi","email":"leonie.rossi1@example.com","city":"Zagreb"}""", true));
	}

	@Test
	void unknownCustomerIsANotFoundProblem() throws Exception {
		this.mvc.perform(get("/api/customers/101"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("Customer 101 not found"));
	}

}
