package dev.strangler.legacy.contract;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The catalog contract, written once: whoever serves the catalog (the monolith, and
 * catalog-service that replaces it) answers every recorded case exactly like the monolith
 * did, byte for byte except {@code generatedAt}. The golden files
 * ({@code contract/catalog}) are the monolith's recorded responses, re-recorded with
 * {@code src/seed/record-catalog-contract.sh}. Shipped in legacy-adapter's test-jar; a
 * subclass is a {@code @SpringBootTest} with {@code @AutoConfigureMockMvc} of its own
 * application.
 */
public abstract class CatalogContract {

	@Autowired
	private MockMvc mvc;

	public static List<ContractCase> cases() throws IOException {
		try (InputStream in = new ClassPathResource("contract/catalog/cases.json").getInputStream()) {
			return new ObjectMapper().readValue(in, new TypeReference<List<ContractCase>>() {
			});
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	public void servesTheRecordedBodyByteForByte(ContractCase contract) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(get(URI.create(contract.path()))).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(contract.status());
		assertThat(response.getContentType())
			.isEqualTo((contract.status() == 200) ? "application/json" : "application/problem+json");
		assertThat(ContractCase.normalized(response.getContentAsString(StandardCharsets.UTF_8)))
			.isEqualTo(contract.goldenBody());
	}

	/**
	 * One recorded request and the status the monolith answered it with; its body is
	 * {@code contract/catalog/<name>.json}.
	 */
	public record ContractCase(String name, String path, int status) {

		static String normalized(String body) {
			return body.replaceFirst("\"generatedAt\":\"[^\"]*\"", "\"generatedAt\":\"<ignored>\"");
		}

		String goldenBody() throws IOException {
			return new ClassPathResource("contract/catalog/" + this.name + ".json")
				.getContentAsString(StandardCharsets.UTF_8)
				.strip();
		}

		@Override
		public String toString() {
			return this.name + " (" + this.path + ")";
		}

	}

}
