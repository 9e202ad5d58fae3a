package dev.strangler.gateway.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a file atomically: the bytes go to a temp file in the same directory
 * ({@code <name>.<random>.tmp}), are fsynced, renamed over the file, and the directory is
 * fsynced, so a crash leaves either the old or the new file, never half of one. The state
 * files ({@code overrides.json}, {@code progressions.json}) are all written this way.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("data/progressions.json"), bytes);
 * }</pre>
 */
public final class AtomicFile {

	/** Suffix of the temp files, which a crash may leave behind. */
	static final String TEMP_SUFFIX = ".tmp";

	private static final Logger logger = LoggerFactory.getLogger(AtomicFile.class);

	private AtomicFile() {
	}

	/**
	 * Replaces {@code file} with {@code bytes}.
	 * @param file the file; its directory must exist
	 * @param bytes the new content
	 * @throws IOException when it cannot be written; the old file is then intact
	 */
	public static void write(Path file, byte[] bytes) throws IOException {
		Path directory = file.toAbsolutePath().getParent();
		Path temp = null;
		try {
			temp = Files.createTempFile(directory, file.getFileName() + ".", TEMP_SUFFIX);
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			temp = null;
			syncDirectory(directory);
		}
		finally {
			deleteQuietly(temp);
		}
	}

	/**
	 * Makes the rename itself durable. POSIX only persists a rename once the directory is
	 * synced; Windows cannot open a directory as a channel, and there the rename is
	 * journaled by NTFS.
	 */
	private static void syncDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			logger.debug("Cannot sync directory {} on this platform", directory, ex);
		}
	}

	static void deleteQuietly(Path path) {
		if (path == null) {
			return;
		}
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			logger.warn("Cannot delete temp file {}", path, ex);
		}
	}

}
