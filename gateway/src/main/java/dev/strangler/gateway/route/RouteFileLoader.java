package dev.strangler.gateway.route;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.env.PropertyResolver;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Loads every {@code *.yml} and {@code *.yaml} file below a Spring resource location into
 * a validated {@link RouteTable}, or fails with every problem found.
 *
 * <pre class="code">
 * RouteTable table = loader.load("file:./routes/"); // or "classpath:routes/"
 * </pre>
 */
public final class RouteFileLoader {

	private static final Log logger = LogFactory.getLog(RouteFileLoader.class);

	private final ResourcePatternResolver resources;

	private final RouteFileParser parser;

	/**
	 * Creates a loader.
	 * @param resources resolves the location and its files
	 * @param placeholders resolves {@code ${VAR:default}} placeholders in values
	 * @param defaultLegacy legacy base URL for routes that name none
	 */
	public RouteFileLoader(ResourcePatternResolver resources, PropertyResolver placeholders, URI defaultLegacy) {
		this.resources = resources;
		this.parser = new RouteFileParser(placeholders, defaultLegacy);
	}

	/**
	 * Loads and validates all route files below a location, as at start-up: a missing
	 * location yields an empty table, and the gateway then sends everything to legacy.
	 * @param location a directory location such as {@code file:./routes/}
	 * @return the validated table
	 * @throws InvalidRoutesException listing every error of every file
	 * @throws RoutesUnavailableException when the location or a file in it cannot be read
	 */
	public RouteTable load(String location) {
		String base = location.endsWith("/") ? location : location + "/";
		Map<String, String> files = read(base, false);
		if (files.isEmpty()) {
			logger.warn("No route files found in " + base + "; every request goes to legacy");
		}
		return validate(base, files);
	}

	/**
	 * Loads and validates all route files below a location that must be there, as a
	 * reload does: a location that is missing or cannot be read is an error, never "no
	 * routes", since an unmounted volume would otherwise send every migrated route back
	 * to legacy.
	 * @param location a directory location such as {@code file:./routes/}
	 * @param allowEmpty whether a readable location without any route file yields an
	 * empty table rather than an error
	 * @return the validated table
	 * @throws InvalidRoutesException listing every error of every file
	 * @throws RoutesUnavailableException when the location cannot be read, or holds no
	 * route file and {@code allowEmpty} is {@code false}
	 */
	public RouteTable loadExisting(String location, boolean allowEmpty) {
		String base = location.endsWith("/") ? location : location + "/";
		Map<String, String> files = read(base, true);
		if (files.isEmpty() && !allowEmpty) {
			throw new RoutesUnavailableException("No route file (*.yml, *.yaml) in " + base
					+ "; set strangler.routes.allow-empty=true to run with no routes");
		}
		return validate(base, files);
	}

	private RouteTable validate(String base, Map<String, String> files) {
		List<RouteError> errors = new ArrayList<>();
		List<Route> routes = new ArrayList<>();
		files.forEach((name, content) -> routes.addAll(this.parser.parse(name, content, errors)));
		errors.addAll(RouteConflicts.find(routes));
		if (!errors.isEmpty()) {
			errors.sort(Comparator.comparing(RouteError::file));
			throw new InvalidRoutesException(base, errors);
		}
		logger.info("Loaded " + routes.size() + " route(s) from " + files.size() + " file(s) in " + base);
		return RouteTable.of(routes);
	}

	/**
	 * Route files by name relative to the location, in name order so that errors and
	 * "first definition" of duplicates are deterministic.
	 */
	private Map<String, String> read(String base, boolean required) {
		Map<String, String> files = new TreeMap<>();
		try {
			Resource root = this.resources.getResource(base);
			if (!root.exists()) {
				if (required) {
					throw new RoutesUnavailableException("The routes location " + base + " does not exist");
				}
				return files;
			}
			requireReadableDirectory(base, root);
			String rootUri = root.getURI().toString();
			for (String extension : List.of("yml", "yaml")) {
				for (Resource resource : this.resources.getResources(base + "**/*." + extension)) {
					if (isDirectory(resource)) {
						continue;
					}
					if (!resource.isReadable()) {
						throw new RoutesUnavailableException(
								"Cannot read route file " + relativeName(rootUri, resource) + " in " + base);
					}
					files.put(relativeName(rootUri, resource), content(resource));
				}
			}
		}
		catch (IOException ex) {
			throw new RoutesUnavailableException("Cannot read route files in " + base + ": " + ex.getMessage(), ex);
		}
		return files;
	}

	/**
	 * A directory on the file system must be listable: the resolver would otherwise find
	 * no file in it and report nothing.
	 */
	private static void requireReadableDirectory(String base, Resource root) throws IOException {
		if (!root.isFile()) {
			return;
		}
		Path directory = root.getFile().toPath();
		if (!Files.isDirectory(directory)) {
			throw new RoutesUnavailableException("The routes location " + base + " is not a directory");
		}
		if (!Files.isReadable(directory) || !Files.isExecutable(directory)) {
			throw new RoutesUnavailableException("The routes location " + base + " cannot be read (permissions)");
		}
	}

	private static boolean isDirectory(Resource resource) throws IOException {
		return resource.isFile() && Files.isDirectory(resource.getFile().toPath());
	}

	private static String relativeName(String rootUri, Resource resource) throws IOException {
		String uri = resource.getURI().toString();
		return uri.startsWith(rootUri) ? uri.substring(rootUri.length()) : resource.getFilename();
	}

	private static String content(Resource resource) throws IOException {
		try (InputStream in = resource.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
