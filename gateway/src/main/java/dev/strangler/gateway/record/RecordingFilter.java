package dev.strangler.gateway.record;

import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * Records a sample of the requests of the routes named in
 * {@code strangler.record.routes}: the request (allowed headers, body up to a limit) and
 * the status and body hash of what the client got, handed to a {@link CorpusWriter}.
 *
 * <p>
 * Like the shadow and cache taps, the decorators go in before
 * {@link NettyWriteResponseFilter} (which writes to the response of the exchange it was
 * given), while whether to record is known only once a route has claimed the request, so
 * {@link Recording} decides lazily. Ordered outside the other taps: it hashes exactly the
 * bytes the client receives. Recording never changes or fails a client's exchange: the
 * hand-over to the writer does not block, and its failures are counted, not thrown.
 */
final class RecordingFilter implements GlobalFilter, Ordered {

	private static final Log logger = LogFactory.getLog(RecordingFilter.class);

	/** Outside the shadow tap ({@code - 2}) and the cache tap ({@code - 1}). */
	static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 3;

	private final RecordSampler sampler;

	private final HeaderAllowList headers;

	private final int maxBody;

	private final CorpusWriter writer;

	private final Clock clock;

	RecordingFilter(RecordSampler sampler, HeaderAllowList headers, int maxBody, CorpusWriter writer, Clock clock) {
		this.sampler = sampler;
		this.headers = headers;
		this.maxBody = maxBody;
		this.writer = writer;
		this.clock = clock;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (this.sampler.off()) {
			return chain.filter(exchange);
		}
		Instant time = this.clock.instant();
		Recording recording = new Recording(exchange, this.sampler, this.maxBody);
		ServerWebExchange tapped = exchange.mutate()
			.request(new RecordingTaps.RequestBodyTap(exchange.getRequest(), recording))
			.response(new RecordingTaps.ResponseHashTap(exchange.getResponse(), recording))
			.build();
		return chain.filter(tapped).doFinally((signal) -> {
			if (signal == SignalType.ON_COMPLETE) {
				handOver(recording, time);
			}
		});
	}

	private void handOver(Recording recording, Instant time) {
		try {
			RecordedRequest recorded = recording.complete(time, this.headers);
			if (recorded != null) {
				this.writer.offer(recorded);
			}
		}
		catch (RuntimeException ex) {
			// the client already has its response: a recording problem stays here
			logger.debug("Request not recorded: " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return "RecordingFilter[order=" + ORDER + ", " + this.sampler + ", " + this.headers + "]";
	}

}
