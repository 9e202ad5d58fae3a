package dev.strangler.gateway.shadow;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.lang.Nullable;

/**
 * The mirror of one request the front forwards: it keeps legacy's answer as the front
 * relays it to the client, and is told when the client's exchange is over, whatever
 * happened, so that the mirror always ends and gives its slot back. Admitted by
 * {@link FrontMirrors}.
 */
public final class FrontMirror {

	private final Mirror mirror;

	private final List<MediaType> streaming;

	FrontMirror(Mirror mirror, List<MediaType> streaming) {
		this.mirror = mirror;
		this.streaming = streaming;
	}

	/**
	 * Legacy's answer on its way to the client, kept for the comparison as it passes
	 * (never held up). A streamed answer is not kept: it has no end to compare at.
	 * @param status the status the client gets
	 * @param headers the response headers the client gets, final
	 * @param body legacy's body as it is relayed
	 * @return the same body
	 */
	public Flux<ByteBuf> legacyAnswer(int status, HttpHeaders headers, Flux<ByteBuf> body) {
		if (!this.mirror.wantsLegacyResponse()) {
			return body;
		}
		if (isStreaming(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
			this.mirror.noLegacyResponse("streamed legacy response");
			return body;
		}
		return new LegacyAnswerCopy(this.mirror, status, headers::getAll).keepBuffers(body);
	}

	/**
	 * The client's exchange is over: what was not kept by now never will be, and the
	 * mirror goes out (or is skipped) without waiting.
	 */
	public void exchangeEnded() {
		this.mirror.exchangeEnded();
	}

	private boolean isStreaming(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			for (MediaType streamed : this.streaming) {
				if (streamed.isCompatibleWith(type)) {
					return true;
				}
			}
			return false;
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "FrontMirror[" + this.mirror + "]";
	}

}
