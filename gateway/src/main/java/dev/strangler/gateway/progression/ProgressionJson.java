package dev.strangler.gateway.progression;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * How a {@link ProgressionState} is written down, the same in {@code progressions.json}
 * and in the shared store, so either can be read by a newer gateway: instants as ISO-8601
 * text, unknown fields ignored.
 *
 * <pre class="code">
 * String json = ProgressionJson.write(state);
 * ProgressionJson.read(json); // equal to state
 * </pre>
 */
public final class ProgressionJson {

	static final ObjectMapper MAPPER = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private ProgressionJson() {
	}

	/**
	 * One state as compact JSON.
	 * @param state the state
	 * @return its JSON
	 */
	public static String write(ProgressionState state) {
		try {
			return MAPPER.writeValueAsString(state);
		}
		catch (JsonProcessingException ex) {
			// A record of strings, numbers, instants and lists always serializes.
			throw new IllegalStateException("progression state of route '" + state.routeId() + "' not written", ex);
		}
	}

	/**
	 * One state from its JSON.
	 * @param json what {@link #write} gave
	 * @return the state
	 * @throws IllegalArgumentException when the JSON is not a progression state
	 */
	public static ProgressionState read(String json) {
		try {
			return MAPPER.readValue(json, ProgressionState.class);
		}
		catch (JsonProcessingException | RuntimeException ex) {
			throw new IllegalArgumentException("not a progression state: " + ex.getMessage(), ex);
		}
	}

}
