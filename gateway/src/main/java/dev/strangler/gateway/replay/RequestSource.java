package dev.strangler.gateway.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.strangler.gateway.record.RecordedRequest;
import dev.strangler.gateway.route.Route;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Where the requests to replay come from: a recorded corpus, or a set generated from the
 * route's own path patterns.
 *
 * @param description how the requests were obtained, for the report
 * @param requests the requests to replay
 * @param skipped how many were left out, and why, for the report
 */
record RequestSource(String description, List<ReplayRequest> requests, List<String> skipped) {

	private static final ObjectMapper JSON = JsonMapper.builder()
		.addModule(new JavaTimeModule())
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	// A variable segment of a path pattern: *, **, {name}, {*name}, {name:regex}
	private static final Pattern VARIABLE = Pattern.compile("\\{[^/]*}|\\*\\*|\\*");

	/**
	 * The requests of a corpus file that belong to the route: only GET and HEAD unless
	 * unsafe methods are allowed, and never a request whose body was truncated.
	 */
	static RequestSource corpus(Path file, String routeId, boolean allowUnsafe) throws IOException {
		List<ReplayRequest> requests = new ArrayList<>();
		List<String> skipped = new ArrayList<>();
		int lineNumber = 0;
		try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				lineNumber++;
				if (line.isBlank()) {
					continue;
				}
				RecordedRequest recorded = parse(file, lineNumber, line);
				if (!routeId.equals(recorded.route())) {
					continue;
				}
				ReplayRequest request = new ReplayRequest(recorded.method(), recorded.pathAndQuery(),
						recorded.headers(), body(recorded), recorded.bodySha256());
				if (!request.safe() && !allowUnsafe) {
					skipped.add(request + " (unsafe method; --allow-unsafe replays it)");
				}
				else if (recorded.bodyTruncated()) {
					skipped.add(request + " (body truncated when recorded)");
				}
				else {
					requests.add(request);
				}
			}
		}
		return new RequestSource("corpus " + file + " (" + lineNumber + " lines)", requests, skipped);
	}

	/**
	 * {@code count} GET requests made from the route's path patterns, taken in turn, with
	 * every variable segment ({@code *}, {@code **}, <code>{id}</code>) filled with ids
	 * 1, 2, 3 … up to {@code maxId}, then again from 1.
	 */
	static RequestSource generated(Route route, int count, int maxId) {
		if (!route.match().allows(HttpMethod.GET)) {
			throw new IllegalArgumentException("route '" + route.id() + "' does not claim GET: nothing to generate");
		}
		List<PathPattern> patterns = route.match().paths();
		List<ReplayRequest> requests = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String pattern = patterns.get(i % patterns.size()).getPatternString();
			String id = Integer.toString((i / patterns.size()) % maxId + 1);
			requests.add(ReplayRequest.get(VARIABLE.matcher(pattern).replaceAll(id)));
		}
		return new RequestSource(count + " requests generated from the paths of route '" + route.id() + "'", requests,
				List.of());
	}

	private static RecordedRequest parse(Path file, int lineNumber, String line) {
		try {
			return JSON.readValue(line, RecordedRequest.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException(
					file + " line " + lineNumber + " is not a recorded request: " + ex.getOriginalMessage());
		}
	}

	private static byte[] body(RecordedRequest recorded) {
		if (recorded.body() != null) {
			return recorded.body().getBytes(StandardCharsets.UTF_8);
		}
		return (recorded.bodyBase64() != null) ? Base64.getDecoder().decode(recorded.bodyBase64()) : new byte[0];
	}

}
