package dev.strangler.gateway.record;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.http.HttpHeaders;

/**
 * The request headers a recording keeps: those on the allow-list, credentials never.
 */
final class HeaderAllowList {

	// Never written to a corpus file, whatever the allow-list says: a corpus is shared
	// with people and CI jobs that must not see credentials or sessions.
	static final Set<String> NEVER_RECORDED = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

	private final Set<String> allowed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

	HeaderAllowList(List<String> names) {
		for (String name : names) {
			if (!NEVER_RECORDED.contains(name.toLowerCase(Locale.ROOT))) {
				this.allowed.add(name);
			}
		}
	}

	/**
	 * The allowed headers of a request, in the request's order.
	 * @param headers all request headers
	 * @return the recorded ones
	 */
	Map<String, List<String>> recorded(HttpHeaders headers) {
		Map<String, List<String>> recorded = new LinkedHashMap<>();
		headers.forEach((name, values) -> {
			if (this.allowed.contains(name)) {
				recorded.computeIfAbsent(name, (key) -> new ArrayList<>()).addAll(values);
			}
		});
		return recorded;
	}

	@Override
	public String toString() {
		return "HeaderAllowList" + this.allowed;
	}

}
