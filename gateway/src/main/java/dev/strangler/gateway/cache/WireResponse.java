package dev.strangler.gateway.cache;

import java.util.List;
import java.util.Map;

import dev.strangler.gateway.headers.StranglerHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import org.springframework.lang.Nullable;

/**
 * A cached response in the form the front writes it on a hit: Netty status, headers whose
 * names and values are already {@link AsciiString}s (encoding them is a copy), and the
 * body as a buffer every hit sends a duplicate of. Only {@code Age} is left to each hit.
 *
 * <pre>{@code
 * WireResponse wire = hit.wire();
 * nettyResponse.status(wire.status()).headers(wire.headers()).header(WireResponse.AGE, age);
 * nettyResponse.sendObject(wire.body());
 * }</pre>
 *
 * The body buffer wraps the entry's own bytes and cannot be released: an evicted entry
 * needs no clean-up, and a client still being written to keeps reading the same bytes.
 */
public final class WireResponse {

	/**
	 * The one header each hit computes. Names are spelled as the filter chain's hits
	 * spell them (Netty's constants are lower case).
	 */
	public static final AsciiString AGE = AsciiString.cached("Age");

	private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");

	private static final AsciiString CACHE_STATUS = AsciiString.cached(CacheStatus.HEADER);

	private static final AsciiString HIT = AsciiString.cached(CacheStatus.HIT);

	private static final AsciiString ROUTE = AsciiString.cached(StranglerHeaders.ROUTE);

	private static final AsciiString BACKEND = AsciiString.cached(StranglerHeaders.BACKEND);

	private final HttpResponseStatus status;

	private final HttpHeaders headers;

	private final ByteBuf body;

	private final CachedResponse response;

	private WireResponse(CachedResponse response, HttpResponseStatus status, HttpHeaders headers, ByteBuf body) {
		this.response = response;
		this.status = status;
		this.headers = headers;
		this.body = body;
	}

	/**
	 * Encodes a cached response with the headers every hit on it carries.
	 * @param response the cached response
	 * @param route the route id for {@code X-Strangler-Route}, or {@code null} when the
	 * gateway does not expose its headers ({@code strangler.expose-headers=false})
	 * @param backend the backend for {@code X-Strangler-Backend}
	 * @return the wire form
	 */
	static WireResponse of(CachedResponse response, @Nullable String route, String backend) {
		// not validated: the names and values were validated when the backend's response
		// was read, and ours are constants
		HttpHeaders headers = new DefaultHttpHeaders(false);
		for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
			AsciiString name = new AsciiString(header.getKey());
			for (String value : header.getValue()) {
				headers.add(name, new AsciiString(value));
			}
		}
		headers.add(CACHE_STATUS, HIT);
		// RFC 9110 §8.6: no Content-Length on a 204
		if (response.status() != 204) {
			headers.add(CONTENT_LENGTH, new AsciiString(Integer.toString(response.bodyLength())));
		}
		if (route != null) {
			headers.add(ROUTE, new AsciiString(route));
			headers.add(BACKEND, new AsciiString(backend));
		}
		ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(response.bodyBytes()).asReadOnly());
		return new WireResponse(response, HttpResponseStatus.valueOf(response.status()), headers, body);
	}

	CachedResponse response() {
		return this.response;
	}

	/**
	 * The status.
	 * @return the Netty status
	 */
	public HttpResponseStatus status() {
		return this.status;
	}

	/**
	 * The headers, {@code Age} aside; callers copy them into a response and never change
	 * them.
	 * @return the headers
	 */
	public HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * A buffer over the body for one response: its own indexes, the same bytes.
	 * @return a duplicate of the body buffer
	 */
	public ByteBuf body() {
		return this.body.retainedDuplicate();
	}

	/**
	 * The body length.
	 * @return bytes
	 */
	public int bodyLength() {
		return this.body.readableBytes();
	}

	@Override
	public String toString() {
		return "WireResponse[" + this.status.code() + ", " + this.headers.size() + " headers, " + bodyLength()
				+ " bytes]";
	}

}
