package dev.strangler.gateway.security;

import java.util.Map;

import dev.strangler.gateway.config.StranglerProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin user built from {@code strangler.admin.*}, checked as Spring Security checks
 * a login: with a {@code DelegatingPasswordEncoder}.
 */
class AdminUserTests {

	private final PasswordEncoder logins = PasswordEncoderFactories.createDelegatingPasswordEncoder();

	@ParameterizedTest
	@ValueSource(strings = { "s3cret", "{curly}start", "{", "{}", "{not closed", "{bcrypt-like}x" })
	void aPlainPasswordLogsIn(String password) {
		UserDetails admin = adminWithPassword(password);

		assertThat(this.logins.matches(password, admin.getPassword())).isTrue();
		assertThat(this.logins.matches(password + "x", admin.getPassword())).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "{noop}s3cret, s3cret",
			"'{bcrypt}$2a$10$dXJ3SW6G7P50lGmMkkmwe.20cQQubK3.HZWzG3YB1tlRy.fqvM/BG', password" })
	void aValueWithAKnownEncoderIdIsTakenAsEncoded(String configured, String loginPassword) {
		UserDetails admin = adminWithPassword(configured);

		assertThat(this.logins.matches(loginPassword, admin.getPassword())).isTrue();
		assertThat(this.logins.matches(configured, admin.getPassword())).isFalse();
	}

	private static UserDetails adminWithPassword(String password) {
		StranglerProperties properties = new Binder(new MapConfigurationPropertySource(
				Map.of("strangler.legacy.url", "http://127.0.0.1:1", "strangler.admin.password", password)))
			.bindOrCreate("strangler", StranglerProperties.class);
		return new SecurityConfiguration().adminUserDetailsService(properties).findByUsername("admin").block();
	}

}
