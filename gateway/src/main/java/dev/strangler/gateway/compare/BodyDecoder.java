package dev.strangler.gateway.compare;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Undoes a response's {@code Content-Encoding} (gzip, deflate) before comparison, never
 * producing more than a bound of bytes: a small compressed body can expand enormously.
 */
final class BodyDecoder {

	private final int maxDecodedBytes;

	BodyDecoder(int maxDecodedBytes) {
		this.maxDecodedBytes = maxDecodedBytes;
	}

	int maxDecodedBytes() {
		return this.maxDecodedBytes;
	}

	Decoded decode(CapturedResponse response) {
		List<String> codings = codings(response);
		byte[] bytes = response.body();
		if (codings.isEmpty() || bytes.length == 0) {
			return new Decoded(bytes, State.DECODED, "");
		}
		// Codings are listed in the order they were applied, so they are undone in
		// reverse.
		for (int i = codings.size() - 1; i >= 0; i--) {
			String coding = codings.get(i);
			try {
				bytes = switch (coding) {
					case "gzip", "x-gzip" -> inflate(new GZIPInputStream(new ByteArrayInputStream(bytes)));
					case "deflate" -> deflate(bytes);
					case "identity" -> bytes;
					default -> null;
				};
			}
			catch (TooLargeException ex) {
				return new Decoded(response.body(), State.TOO_LARGE, coding);
			}
			catch (IOException ex) {
				return new Decoded(response.body(), State.FAILED, coding);
			}
			if (bytes == null) {
				return new Decoded(response.body(), State.UNSUPPORTED, coding);
			}
		}
		return new Decoded(bytes, State.DECODED, "");
	}

	private static List<String> codings(CapturedResponse response) {
		List<String> codings = new ArrayList<>();
		for (String value : response.header("Content-Encoding")) {
			for (String coding : value.split(",")) {
				String trimmed = coding.trim().toLowerCase(Locale.ROOT);
				if (!trimmed.isEmpty()) {
					codings.add(trimmed);
				}
			}
		}
		return codings;
	}

	// "deflate" is meant to be zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send
	// raw
	// deflate data; both are accepted, as browsers do.
	private byte[] deflate(byte[] bytes) throws IOException {
		try {
			return inflate(new InflaterInputStream(new ByteArrayInputStream(bytes), new Inflater(false)));
		}
		catch (ZipException ex) {
			return inflate(new InflaterInputStream(new ByteArrayInputStream(bytes), new Inflater(true)));
		}
	}

	private byte[] inflate(InputStream in) throws IOException {
		try (in) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (out.size() + read > this.maxDecodedBytes) {
					throw new TooLargeException();
				}
				out.write(buffer, 0, read);
			}
			return out.toByteArray();
		}
	}

	/**
	 * What decoding gave.
	 *
	 * @param bytes the decoded bytes, or the raw ones when decoding did not succeed
	 * @param state how decoding went
	 * @param coding the coding that did not decode, empty when all did
	 */
	record Decoded(byte[] bytes, State state, String coding) {

		/** Whether the body can be compared at all. */
		boolean comparable() {
			return this.state == State.DECODED || this.state == State.FAILED;
		}

		boolean failed() {
			return this.state == State.FAILED;
		}

		String describe() {
			return failed() ? "<body not valid " + this.coding + ">" : "<decoded body>";
		}

	}

	enum State {

		DECODED, FAILED, TOO_LARGE, UNSUPPORTED

	}

	private static final class TooLargeException extends IOException {

		TooLargeException() {
			super("decoded body exceeds the bound");
		}

	}

}
