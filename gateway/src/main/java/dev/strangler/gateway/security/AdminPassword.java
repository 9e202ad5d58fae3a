package dev.strangler.gateway.security;

import java.util.Set;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The configured admin password in the form Spring Security's
 * {@code DelegatingPasswordEncoder} stores: a value that starts with the id of one of its
 * encoders ({@code {bcrypt}$2a$10$...}, {@code {noop}s3cret}) is taken as encoded, any
 * other value (including a plain password that happens to start with {@code {}) as the
 * password itself.
 *
 * <pre>{@code
 * AdminPassword.encoded("{bcrypt}$2a$10$...", encoder); // as it is
 * AdminPassword.encoded("{curly}pass", encoder);        // "{bcrypt}" + hash of "{curly}pass"
 * }</pre>
 */
final class AdminPassword {

	/**
	 * The ids {@code PasswordEncoderFactories.createDelegatingPasswordEncoder()} maps (it
	 * does not expose them); an unknown id would make every login fail.
	 */
	private static final Set<String> ENCODER_IDS = Set.of("bcrypt", "ldap", "MD4", "MD5", "noop", "pbkdf2",
			"pbkdf2@SpringSecurity_v5_8", "scrypt", "scrypt@SpringSecurity_v5_8", "SHA-1", "SHA-256", "sha256",
			"argon2", "argon2@SpringSecurity_v5_8");

	private AdminPassword() {
	}

	/**
	 * The stored form of a configured password.
	 * @param configured the {@code strangler.admin.password} value
	 * @param encoder the delegating encoder that encodes a plain password
	 * @return the value to give Spring Security's user
	 */
	static String encoded(String configured, PasswordEncoder encoder) {
		return isEncoded(configured) ? configured : encoder.encode(configured);
	}

	private static boolean isEncoded(String configured) {
		int end = configured.indexOf('}');
		return configured.startsWith("{") && end > 1 && ENCODER_IDS.contains(configured.substring(1, end));
	}

}
