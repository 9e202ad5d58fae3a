package dev.strangler.gateway.observe;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.netty.Metrics;
import reactor.netty.http.client.HttpClientMetricsRecorder;

import org.springframework.lang.Nullable;

/**
 * Reactor Netty's client meters ({@code reactor.netty.http.client.*}) for the gateway's
 * calls to its backends: the names, tags and values of Reactor Netty's own Micrometer
 * recorder, at a fraction of its cost per call.
 * <p>
 * Reactor Netty's recorder formats the backend's address into a new string, and builds
 * and hashes a new key from it, for each of the seven or so meters a proxied call
 * updates, and times the response through an {@code Observation} with its own context and
 * key values. Here a meter is found by the address object the connection already holds
 * (its hash needs no string; the address is formatted once, when the meter is
 * registered), and the response time goes straight to its timer: nothing else read that
 * observation (Reactor Netty keeps it in a registry of its own, with meter handlers
 * only).
 * <p>
 * Reactor Netty still registers the connection pool's gauges
 * ({@code reactor.netty.connection.provider.*}) and Netty's buffer memory meters itself
 * whenever a client has a recorder. Meters are registered in the application's registry,
 * where Reactor Netty's recorder put them through Micrometer's global registry.
 */
final class BackendClientMetrics implements HttpClientMetricsRecorder {

	/** The URI tag value of the meters recorded per read and write on the connection. */
	static final String CONNECTION_URI = "http";

	/** The URI tag value of the per-call meters: request paths would be unbounded. */
	static final String COLLAPSED_URI = "*";

	/** What the client is configured with: every request's URI tag collapsed. */
	static final Function<String, String> COLLAPSE_URI = (uri) -> COLLAPSED_URI;

	private static final String PREFIX = Metrics.HTTP_CLIENT_PREFIX;

	private final ConcurrentMap<MeterKey, Meter> meters = new ConcurrentHashMap<>();

	private final Function<MeterKey, Timer> newTimer;

	private final Function<MeterKey, DistributionSummary> newSummary;

	private final Function<MeterKey, Counter> newCounter;

	BackendClientMetrics(MeterRegistry registry) {
		this.newTimer = (key) -> Timer.builder(key.meterName()).tags(key.tags()).register(registry);
		this.newSummary = (key) -> DistributionSummary.builder(key.meterName())
			.baseUnit("bytes")
			.tags(key.tags())
			.register(registry);
		this.newCounter = (key) -> Counter.builder(key.meterName()).tags(key.tags()).register(registry);
	}

	// Per call (the HTTP exchange)

	@Override
	public void recordDataReceived(SocketAddress remoteAddress, String uri, long bytes) {
		recordDataReceived(remoteAddress, null, uri, bytes);
	}

	@Override
	public void recordDataReceived(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, String uri,
			long bytes) {
		summary(new MeterKey(Metrics.DATA_RECEIVED, remoteAddress, proxyAddress, uri, null, null)).record(bytes);
	}

	@Override
	public void recordDataSent(SocketAddress remoteAddress, String uri, long bytes) {
		recordDataSent(remoteAddress, null, uri, bytes);
	}

	@Override
	public void recordDataSent(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, String uri,
			long bytes) {
		summary(new MeterKey(Metrics.DATA_SENT, remoteAddress, proxyAddress, uri, null, null)).record(bytes);
	}

	@Override
	public void incrementErrorsCount(SocketAddress remoteAddress, String uri) {
		incrementErrorsCount(remoteAddress, null, uri);
	}

	@Override
	public void incrementErrorsCount(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, String uri) {
		counter(new MeterKey(Metrics.ERRORS, remoteAddress, proxyAddress, uri, null, null)).increment();
	}

	@Override
	public void recordDataReceivedTime(SocketAddress remoteAddress, String uri, String method, String status,
			Duration time) {
		recordDataReceivedTime(remoteAddress, null, uri, method, status, time);
	}

	@Override
	public void recordDataReceivedTime(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, String uri,
			String method, String status, Duration time) {
		timer(new MeterKey(Metrics.DATA_RECEIVED_TIME, remoteAddress, proxyAddress, uri, method, status)).record(time);
	}

	@Override
	public void recordDataSentTime(SocketAddress remoteAddress, String uri, String method, Duration time) {
		recordDataSentTime(remoteAddress, null, uri, method, time);
	}

	@Override
	public void recordDataSentTime(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, String uri,
			String method, Duration time) {
		timer(new MeterKey(Metrics.DATA_SENT_TIME, remoteAddress, proxyAddress, uri, method, null)).record(time);
	}

	@Override
	public void recordResponseTime(SocketAddress remoteAddress, String uri, String method, String status,
			Duration time) {
		recordResponseTime(remoteAddress, null, uri, method, status, time);
	}

	@Override
	public void recordResponseTime(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, String uri,
			String method, String status, Duration time) {
		timer(new MeterKey(Metrics.RESPONSE_TIME, remoteAddress, proxyAddress, uri, method, status)).record(time);
	}

	// Per read and write on the connection, and per connection

	@Override
	public void recordDataReceived(SocketAddress remoteAddress, long bytes) {
		recordDataReceived(remoteAddress, null, CONNECTION_URI, bytes);
	}

	@Override
	public void recordDataReceived(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, long bytes) {
		recordDataReceived(remoteAddress, proxyAddress, CONNECTION_URI, bytes);
	}

	@Override
	public void recordDataSent(SocketAddress remoteAddress, long bytes) {
		recordDataSent(remoteAddress, null, CONNECTION_URI, bytes);
	}

	@Override
	public void recordDataSent(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, long bytes) {
		recordDataSent(remoteAddress, proxyAddress, CONNECTION_URI, bytes);
	}

	@Override
	public void incrementErrorsCount(SocketAddress remoteAddress) {
		incrementErrorsCount(remoteAddress, null, CONNECTION_URI);
	}

	@Override
	public void incrementErrorsCount(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress) {
		incrementErrorsCount(remoteAddress, proxyAddress, CONNECTION_URI);
	}

	@Override
	public void recordConnectTime(SocketAddress remoteAddress, Duration time, String status) {
		recordConnectTime(remoteAddress, null, time, status);
	}

	@Override
	public void recordConnectTime(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, Duration time,
			String status) {
		timer(new MeterKey(Metrics.CONNECT_TIME, remoteAddress, proxyAddress, null, null, status)).record(time);
	}

	@Override
	public void recordTlsHandshakeTime(SocketAddress remoteAddress, Duration time, String status) {
		recordTlsHandshakeTime(remoteAddress, null, time, status);
	}

	@Override
	public void recordTlsHandshakeTime(SocketAddress remoteAddress, @Nullable SocketAddress proxyAddress, Duration time,
			String status) {
		timer(new MeterKey(Metrics.TLS_HANDSHAKE_TIME, remoteAddress, proxyAddress, null, null, status)).record(time);
	}

	@Override
	public void recordResolveAddressTime(SocketAddress remoteAddress, Duration time, String status) {
		// Reactor Netty tags the resolver's timer without a proxy address.
		timer(new MeterKey(Metrics.ADDRESS_RESOLVER, remoteAddress, null, null, null, status, false)).record(time);
	}

	// Meters, registered once per key

	private Timer timer(MeterKey key) {
		return meter(key, this.newTimer);
	}

	private DistributionSummary summary(MeterKey key) {
		return meter(key, this.newSummary);
	}

	private Counter counter(MeterKey key) {
		return meter(key, this.newCounter);
	}

	@SuppressWarnings("unchecked")
	private <M extends Meter> M meter(MeterKey key, Function<MeterKey, M> register) {
		// A plain read first: computeIfAbsent may lock even when the meter is there.
		Meter meter = this.meters.get(key);
		return (M) ((meter != null) ? meter : this.meters.computeIfAbsent(key, register));
	}

	@Override
	public String toString() {
		return "BackendClientMetrics[" + PREFIX + ".*, " + this.meters.size() + " meters]";
	}

	/**
	 * One meter: its name (Reactor Netty's suffix) and its tag values, the addresses as
	 * the connection holds them. A null tag value means the meter has no such tag, except
	 * the proxy address, which is {@code na} without a proxy; {@code tagsProxy} is false
	 * for the one meter that has no proxy tag at all.
	 */
	record MeterKey(String suffix, SocketAddress remote, @Nullable SocketAddress proxy, @Nullable String uri,
			@Nullable String method, @Nullable String status, boolean tagsProxy) {

		MeterKey(String suffix, SocketAddress remote, @Nullable SocketAddress proxy, @Nullable String uri,
				@Nullable String method, @Nullable String status) {
			this(suffix, remote, proxy, uri, method, status, true);
		}

		String meterName() {
			return PREFIX + this.suffix;
		}

		String[] tags() {
			String[] tags = new String[12];
			int next = 0;
			tags[next++] = Metrics.REMOTE_ADDRESS;
			tags[next++] = Metrics.formatSocketAddress(this.remote);
			if (this.tagsProxy) {
				tags[next++] = Metrics.PROXY_ADDRESS;
				tags[next++] = (this.proxy != null) ? Metrics.formatSocketAddress(this.proxy) : Metrics.NA;
			}
			if (this.uri != null) {
				tags[next++] = Metrics.URI;
				tags[next++] = this.uri;
			}
			if (this.method != null) {
				tags[next++] = Metrics.METHOD;
				tags[next++] = this.method;
			}
			if (this.status != null) {
				tags[next++] = Metrics.STATUS;
				tags[next++] = this.status;
			}
			return Arrays.copyOf(tags, next);
		}

	}

}
