package dev.strangler.e2e.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The repository's route files, as a directory to mount into a gateway container: either
 * as they are, or with every route set to one stage.
 */
final class RouteFiles {

	private static final Pattern STAGE = Pattern.compile("(?m)^(\\s*stage:\\s*)[a-z]+");

	private static final Pattern ROUTE_ID = Pattern.compile("(?m)^\\s*-\\s*id:\\s*([a-z0-9-]+)");

	private final Path source;

	RouteFiles(Path source) {
		this.source = source;
	}

	/**
	 * Copies every route file into {@code target}, with each route's {@code stage}
	 * replaced by {@code stage}.
	 */
	Path withStage(String stage, Path target) {
		try {
			Files.createDirectories(target);
			for (Path file : files()) {
				String yaml = Files.readString(file, StandardCharsets.UTF_8);
				if (!STAGE.matcher(yaml).find()) {
					throw new IllegalStateException(file + " declares no stage");
				}
				String staged = STAGE.matcher(yaml)
					.replaceAll((route) -> Matcher.quoteReplacement(route.group(1) + stage));
				Files.writeString(target.resolve(file.getFileName()), staged, StandardCharsets.UTF_8);
			}
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The ids of every route the files declare.
	 */
	List<String> routeIds() {
		List<String> ids = new ArrayList<>();
		for (Path file : files()) {
			try {
				ROUTE_ID.matcher(Files.readString(file, StandardCharsets.UTF_8))
					.results()
					.forEach((match) -> ids.add(match.group(1)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return ids;
	}

	private List<Path> files() {
		try (Stream<Path> files = Files.list(this.source)) {
			List<Path> routeFiles = files.filter((file) -> file.toString().endsWith(".yml")).sorted().toList();
			if (routeFiles.isEmpty()) {
				throw new IllegalStateException("no route files (*.yml) in " + this.source);
			}
			return routeFiles;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
