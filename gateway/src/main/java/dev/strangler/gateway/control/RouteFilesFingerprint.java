package dev.strangler.gateway.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.strangler.gateway.digest.Sha256;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * A digest of the names and contents of every route file below a location: it changes
 * exactly when a reload could change something.
 *
 * <pre class="code">
 * String before = fingerprint.compute();
 * // ... an operator edits routes/catalog.yml
 * fingerprint.compute().equals(before); // false
 * </pre>
 *
 * Contents rather than modification times: route files are small, and an edit that keeps
 * the size and lands within the file system's time granularity, or a copy that keeps the
 * old time ({@code cp -p}, a Kubernetes ConfigMap swap), must not go unnoticed.
 */
final class RouteFilesFingerprint {

	/** The fingerprint of a location that does not exist. */
	static final String MISSING = "missing";

	private final ResourcePatternResolver resources;

	private final String base;

	RouteFilesFingerprint(ResourcePatternResolver resources, String location) {
		this.resources = resources;
		this.base = location.endsWith("/") ? location : location + "/";
	}

	/**
	 * Digests the files as they are now.
	 * @return a hex digest; equal digests mean equal files; {@value #MISSING} when the
	 * location does not exist
	 * @throws IOException when the location cannot be listed or a file read
	 */
	String compute() throws IOException {
		Map<String, Resource> files = new TreeMap<>();
		if (!this.resources.getResource(this.base).exists()) {
			// not the digest of an empty directory: a location that vanishes is a change
			return MISSING;
		}
		for (String extension : List.of("yml", "yaml")) {
			for (Resource resource : this.resources.getResources(this.base + "**/*." + extension)) {
				files.put(resource.getURI().toString(), resource);
			}
		}
		MessageDigest digest = Sha256.newDigest();
		for (Map.Entry<String, Resource> file : files.entrySet()) {
			digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			try (InputStream in = file.getValue().getInputStream()) {
				digest.update(in.readAllBytes());
			}
			digest.update((byte) 0);
		}
		return Sha256.hex(digest);
	}

	@Override
	public String toString() {
		return "RouteFilesFingerprint[" + this.base + "]";
	}

}
