package dev.strangler.gateway.state;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded file store against the {@link OverrideStoreContract}; every instance
 * opened shares the directory, as a restarted gateway would (with the file store there is
 * only ever one at a time, and the lock of one instance serializes its writers).
 */
class FileOverrideStoreContractTests extends OverrideStoreContract {

	@TempDir
	Path dir;

	private FileOverrideStore store;

	@Override
	protected OverrideStore open() {
		// One store per directory: the file store is for a single instance.
		if (this.store == null) {
			this.store = new FileOverrideStore(this.dir, auditLog(), CLOCK);
		}
		return this.store;
	}

	@Override
	protected AuditLog auditLog() {
		return new JsonLinesAuditLog(this.dir);
	}

}
