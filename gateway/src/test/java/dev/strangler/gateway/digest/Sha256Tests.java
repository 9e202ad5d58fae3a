package dev.strangler.gateway.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Sha256Tests {

	// FIPS 180-2, appendix B.1: SHA-256("abc")
	private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

	@Test
	void hexOfBytesIsTheStandardLowerCaseDigest() {
		assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
	}

	@Test
	void digestOfATextIsOverItsUtf8Bytes() {
		assertThat(Sha256.of("abc")).isEqualTo(HexFormat.of().parseHex(ABC));
		assertThat(Sha256.of("é")).isEqualTo(Sha256.newDigest().digest(new byte[] { (byte) 0xC3, (byte) 0xA9 }));
	}

	@Test
	void aRunningDigestFedInPiecesGivesTheDigestOfTheWholeAndIsReset() {
		MessageDigest running = Sha256.newDigest();
		running.update((byte) 'a');
		running.update("bc".getBytes(StandardCharsets.US_ASCII));

		assertThat(Sha256.hex(running)).isEqualTo(ABC);
		running.update("abc".getBytes(StandardCharsets.US_ASCII));
		assertThat(Sha256.hex(running)).isEqualTo(ABC);
	}

	@Test
	void everyCallGetsItsOwnDigest() {
		assertThat(Sha256.newDigest()).isNotSameAs(Sha256.newDigest());
	}

}
