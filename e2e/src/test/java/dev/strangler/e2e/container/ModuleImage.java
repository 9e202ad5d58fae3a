package dev.strangler.e2e.container;

import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * One deployable module's image, built by Docker from the module's own {@code Dockerfile}
 * and executable jar, exactly as {@code docker build <module>} would.
 *
 * <pre>{@code
 * ImageFromDockerfile gateway = ModuleImage.of("gateway", "e2e.jar.gateway").build(repo);
 * }</pre>
 *
 * @param moduleDir the module's directory, relative to the repository root
 * @param jarProperty the system property that holds the module's executable jar (set by
 * Failsafe from the reactor)
 */
record ModuleImage(String moduleDir, String jarProperty) {

	static final String VERSION = "0.1.0-SNAPSHOT";

	static ModuleImage of(String moduleDir, String jarProperty) {
		return new ModuleImage(moduleDir, jarProperty);
	}

	/**
	 * The image to build. The build context holds only the Dockerfile and the jar, as the
	 * module's {@code .dockerignore} would leave it.
	 */
	ImageFromDockerfile build(Path repo) {
		Path module = repo.resolve(this.moduleDir);
		Path jar = jar(module);
		String jarInContext = "target/" + jar.getFileName();
		return new ImageFromDockerfile("strangler-it/" + artifactId(), true)
			.withFileFromPath("Dockerfile", existing(module.resolve("Dockerfile")))
			.withFileFromPath(jarInContext, jar)
			.withBuildArg("JAR_FILE", jarInContext);
	}

	private Path jar(Path module) {
		String configured = System.getProperty(this.jarProperty);
		if (configured != null && !configured.isBlank()) {
			return existing(Path.of(configured));
		}
		return existing(module.resolve("target").resolve(artifactId() + "-" + VERSION + "-exec.jar"));
	}

	private String artifactId() {
		return Path.of(this.moduleDir).getFileName().toString();
	}

	private static Path existing(Path file) {
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException(file + " is missing: build the modules first (./mvnw -B package)");
		}
		return file;
	}

}
