package dev.strangler.gateway.record;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderAllowListTests {

	@Test
	void keepsListedHeadersWhateverTheirCase() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("accept", "application/json");
		headers.add("Accept-Language", "de");
		headers.add("X-Other", "x");

		assertThat(new HeaderAllowList(List.of("Accept", "ACCEPT-LANGUAGE")).recorded(headers))
			.containsOnlyKeys("accept", "Accept-Language");
	}

	@Test
	void neverKeepsCredentialsEvenWhenListed() {
		HttpHeaders headers = new HttpHeaders();
		headers.add("Authorization", "Bearer t");
		headers.add("Proxy-Authorization", "Basic x");
		headers.add("Cookie", "SESSION=1");
		headers.add("Set-Cookie", "a=b");

		assertThat(new HeaderAllowList(List.of("authorization", "Proxy-Authorization", "COOKIE", "Set-Cookie"))
			.recorded(headers)).isEmpty();
	}

}
