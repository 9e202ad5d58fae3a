package dev.strangler.gateway.security;

import reactor.core.publisher.Mono;

import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Knows no user: every authentication fails. Used while no admin password is set.
 */
final class NoUserDetailsService implements ReactiveUserDetailsService {

	@Override
	public Mono<UserDetails> findByUsername(String username) {
		return Mono.empty();
	}

	@Override
	public String toString() {
		return "NoUserDetailsService";
	}

}
