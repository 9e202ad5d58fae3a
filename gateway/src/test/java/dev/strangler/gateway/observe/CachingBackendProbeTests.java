package dev.strangler.gateway.observe;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CachingBackendProbeTests {

	private final AtomicLong nanos = new AtomicLong();

	private final AtomicInteger probes = new AtomicInteger();

	private final CachingBackendProbe probe = new CachingBackendProbe((backend) -> {
		this.probes.incrementAndGet();
		return CompletableFuture.completedFuture(Reachability.up(Duration.ofMillis(1)));
	}, Duration.ofSeconds(5), this.nanos::get);

	@Test
	void repeatedChecksWithinTheTtlProbeTheBackendOnce() {
		this.probe.probe(URI.create("http://legacy:8081")).join();
		this.nanos.addAndGet(Duration.ofSeconds(4).toNanos());
		this.probe.probe(URI.create("http://legacy:8081")).join();

		assertThat(this.probes).hasValue(1);
	}

	@Test
	void aCheckAfterTheTtlProbesAgain() {
		this.probe.probe(URI.create("http://legacy:8081")).join();
		this.nanos.addAndGet(Duration.ofSeconds(6).toNanos());
		this.probe.probe(URI.create("http://legacy:8081")).join();

		assertThat(this.probes).hasValue(2);
	}

	@Test
	void backendsOnOneHostAndPortShareAProbe() {
		this.probe.probe(URI.create("http://catalog:8082/svc")).join();
		this.probe.probe(URI.create("http://catalog:8082")).join();
		this.probe.probe(URI.create("http://catalog:8083")).join();

		assertThat(this.probes).hasValue(2);
	}

}
