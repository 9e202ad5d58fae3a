package dev.strangler.gateway.cache;

import java.time.Duration;
import java.util.Set;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Gateway-wide rules of the response caches ({@code strangler.cache.*}); each route's
 * limits come from its route file's {@code cache} block.
 *
 * @param maxBodySize largest response body stored; larger ones stream through untouched
 * @param cacheableStatuses response statuses that may be stored
 * @param maxWait longest a request waits for another request's load of the same key; a
 * load not finished by then is given up and the waiting requests go to the backend
 * themselves
 */
@ConfigurationProperties("strangler.cache")
@Validated
record CacheProperties(@DefaultValue("1MB") @NotNull DataSize maxBodySize, @DefaultValue( {
		"200", "203", "204", "301", "404", "410" }) @NotEmpty Set<Integer> cacheableStatuses,
		@DefaultValue("30s") @NotNull Duration maxWait){

	/**
	 * The HTTP rules these properties describe.
	 * @return the policy; invalid values are rejected with the property's name
	 */
	CachePolicy policy() {
		return new CachePolicy(this.cacheableStatuses, this.maxBodySize.toBytes());
	}

}
