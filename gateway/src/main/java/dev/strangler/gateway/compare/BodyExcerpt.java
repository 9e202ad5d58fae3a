package dev.strangler.gateway.compare;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Locale;
import java.util.Objects;

/**
 * The beginning of a response body as kept with a {@link DiffRecord}, so a mismatch can
 * be shown side by side: at most {@link #MAX_BYTES} bytes of the decoded body, as text,
 * or a short description when the body is not text.
 *
 * <pre class="code">
 * BodyExcerpt.of(legacyResponse).text();      // {"id":1,"price":12.5,...}
 * BodyExcerpt.of(legacyResponse).complete();  // false when cut at MAX_BYTES
 * </pre>
 *
 * @param text the body's first bytes as text, or a description in angle brackets when the
 * body is not shown ({@code <1234 bytes of image/png>})
 * @param complete whether {@code text} is the whole body
 */
public record BodyExcerpt(String text, boolean complete) {

	/**
	 * Bytes kept per body: a hundred mismatches per route, two bodies each, stay within a
	 * megabyte.
	 */
	public static final int MAX_BYTES = 4096;

	/** Decoding a compressed body stops here; only its beginning is kept anyway. */
	private static final BodyDecoder decoder = new BodyDecoder(256 * 1024);

	public BodyExcerpt {
		Objects.requireNonNull(text, "text");
	}

	/**
	 * The excerpt of a captured response's body.
	 * @param response the response, still content-encoded
	 * @return its excerpt
	 */
	public static BodyExcerpt of(CapturedResponse response) {
		byte[] raw = response.body();
		if (raw.length == 0) {
			return new BodyExcerpt("", !response.truncated());
		}
		String contentType = response.firstHeader("Content-Type").orElse("").toLowerCase(Locale.ROOT);
		if (!ResponseComparator.isJson(contentType) && !ResponseComparator.isText(contentType)) {
			return new BodyExcerpt("<" + raw.length + " bytes of " + (contentType.isEmpty() ? "?" : contentType) + ">",
					false);
		}
		BodyDecoder.Decoded decoded = decoder.decode(response);
		if (decoded.state() != BodyDecoder.State.DECODED) {
			return new BodyExcerpt("<" + raw.length + " bytes, " + decoded.coding() + "-encoded, not decoded>", false);
		}
		byte[] bytes = decoded.bytes();
		int length = Math.min(bytes.length, MAX_BYTES);
		String text = decode(bytes, length, ResponseComparator.charset(contentType));
		return new BodyExcerpt(text, length == bytes.length && !response.truncated());
	}

	/**
	 * Decodes the first {@code length} bytes, dropping a character cut in half at the end
	 * and replacing malformed input.
	 */
	private static String decode(byte[] bytes, int length, Charset charset) {
		CharsetDecoder decoder = charset.newDecoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE);
		CharBuffer out = CharBuffer.allocate(length + 1);
		// endOfInput false: an incomplete sequence at the cut stays undecoded.
		decoder.decode(ByteBuffer.wrap(bytes, 0, length), out, length == bytes.length);
		out.flip();
		return out.toString();
	}

}
