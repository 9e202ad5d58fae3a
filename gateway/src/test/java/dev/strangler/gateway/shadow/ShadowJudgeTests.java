package dev.strangler.gateway.shadow;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.strangler.gateway.compare.CapturedResponse;
import dev.strangler.gateway.compare.DiffBuffer;
import dev.strangler.gateway.compare.NoiseModel;
import dev.strangler.gateway.compare.ResponseComparator;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.Stage;
import dev.strangler.gateway.shadow.Mirror.Answer;
import dev.strangler.gateway.shadow.Mirror.MirrorContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.util.pattern.PathPatternParser;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowJudgeTests {

	private final NoiseModel noise = new NoiseModel();

	private final ShadowReports reports = new ShadowReports(new SimpleMeterRegistry(), new DiffBuffer(10), this.noise);

	private final ShadowJudge judge = new ShadowJudge(new ResponseComparator(), this.noise, this.reports,
			Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

	private final MirrorContext context = new MirrorContext(catalog(),
			MirrorRequest.of(MockServerHttpRequest.get("http://gateway/api/products?page=1").build()), "/api/products",
			null, "trace-1", null);

	@Test
	void fieldThatDiffersBetweenTwoLegacyAnswersIsLearnedAsNoiseAndNoLongerAMismatch() {
		this.judge.judge(this.context, json("{\"n\":1,\"at\":\"t1\"}"), Answer.of(json("{\"n\":1,\"at\":\"t3\"}")),
				json("{\"n\":1,\"at\":\"t2\"}"), "");

		assertThat(this.reports.noisyPaths("catalog")).containsEntry("/api/products", Set.of("$.at"));
		assertThat(this.reports.stats("catalog").match()).isEqualTo(1);
		assertThat(this.reports.stats("catalog").mismatch()).isZero();
	}

	@Test
	void noiseNeverHidesARealDifference() {
		this.judge.judge(this.context, json("{\"n\":1,\"at\":\"t1\"}"), Answer.of(json("{\"n\":2,\"at\":\"t3\"}")),
				json("{\"n\":1,\"at\":\"t2\"}"), "");

		assertThat(this.reports.stats("catalog").mismatch()).isEqualTo(1);
		assertThat(this.reports.diffs("catalog").get(0).differences()).singleElement()
			.satisfies((difference) -> assertThat(difference.path()).isEqualTo("$.n"));
		assertThat(this.reports.diffs("catalog").get(0).traceId()).isEqualTo("trace-1");
		assertThat(this.reports.diffs("catalog").get(0).pathWithQuery()).isEqualTo("/api/products?page=1");
	}

	@Test
	void failedTargetCallIsAnErrorNotAMismatch() {
		this.judge.judge(this.context, json("{}"), Answer.failed(new TimeoutException()), null, "");

		assertThat(this.reports.stats("catalog").error()).isEqualTo(1);
		assertThat(this.reports.stats("catalog").compared()).isZero();
	}

	@Test
	void missingLegacyResponseIsSkipped() {
		this.judge.judge(this.context, null, Answer.of(json("{}")), null, "client went away");

		assertThat(this.reports.stats("catalog").skipped()).isEqualTo(1);
	}

	@Test
	void truncatedBodiesWithEqualStatusAreSkippedNotCountedAsMatches() {
		CapturedResponse truncated = new CapturedResponse(200, Map.of("Content-Type", List.of("application/json")),
				new byte[0], true);
		this.judge.judge(this.context, truncated, Answer.of(truncated), null, "");

		assertThat(this.reports.stats("catalog").skipped()).isEqualTo(1);
		assertThat(this.reports.stats("catalog").match()).isZero();
	}

	private static Route catalog() {
		return new Route("catalog", "", "test.yml",
				new Route.Match(List.of(PathPatternParser.defaultInstance.parse("/api/products")), Set.of()),
				URI.create("http://legacy"), URI.create("http://target"), Stage.SHADOW, Route.Rollout.DEFAULT,
				Route.Shadow.DEFAULT, Route.Compare.DEFAULT, null, Route.Resilience.DEFAULT);
	}

	private static CapturedResponse json(String body) {
		return CapturedResponse.of(200, Map.of("Content-Type", List.of("application/json")),
				body.getBytes(StandardCharsets.UTF_8));
	}

}
