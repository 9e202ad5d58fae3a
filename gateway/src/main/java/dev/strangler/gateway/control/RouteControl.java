package dev.strangler.gateway.control;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.strangler.gateway.route.InvalidRoutesException;
import dev.strangler.gateway.route.Route;
import dev.strangler.gateway.route.RouteFileLoader;
import dev.strangler.gateway.route.RouteTable;
import dev.strangler.gateway.route.RouteTableHolder;
import dev.strangler.gateway.route.RoutesUnavailableException;
import dev.strangler.gateway.state.OverrideSnapshot;
import dev.strangler.gateway.state.OverrideStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the routes in force equal to the route files with the operators' overrides laid
 * over them: whenever the files are reloaded or an override changes, the effective table
 * is rebuilt whole and swapped into the {@link RouteTableHolder}, so routing code only
 * ever reads the holder and knows nothing of overrides.
 *
 * <pre class="code">
 * RouteControl control = new RouteControl(loader, "file:./routes/", false, holder, store, List.of(metrics), clock);
 * control.reload();                     // re-read the files; invalid files keep the routes in force
 * control.state().route("catalog");     // configured and effective settings, override
 * </pre>
 */
public final class RouteControl implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RouteControl.class);

	private final RouteFileLoader loader;

	private final String location;

	private final boolean allowEmpty;

	private final RouteTableHolder holder;

	private final List<ReloadListener> listeners;

	private final Clock clock;

	// Serializes rebuilds, so a reload and an override change arriving together cannot
	// swap in a table that misses one of them.
	private final Object lock = new Object();

	private volatile ControlState state;

	private final OverrideStore.Subscription subscription;

	/**
	 * Takes over the holder, whose table is taken as the route files as loaded at
	 * start-up, and applies the store's overrides at once.
	 * @param loader reads and validates the route files
	 * @param location where the route files live
	 * @param allowEmpty whether a reload may apply a location without any route file (a
	 * missing or unreadable location is always an error)
	 * @param holder the table routing reads
	 * @param store the overrides to follow
	 * @param listeners told about every reload and every new effective table
	 * @param clock stamps reloads
	 */
	public RouteControl(RouteFileLoader loader, String location, boolean allowEmpty, RouteTableHolder holder,
			OverrideStore store, List<ReloadListener> listeners, Clock clock) {
		this.loader = loader;
		this.location = location;
		this.allowEmpty = allowEmpty;
		this.holder = holder;
		this.listeners = List.copyOf(listeners);
		this.clock = clock;
		this.state = ControlState.of(holder.current(), OverrideSnapshot.EMPTY, clock.instant(), Optional.empty());
		this.subscription = store.subscribe(this::overridesChanged);
	}

	/**
	 * Everything known now.
	 * @return the current state
	 */
	public ControlState state() {
		return this.state;
	}

	/**
	 * Re-reads and validates every route file. Valid files are swapped in whole; an
	 * invalid change, a missing or unreadable location, a location without route files
	 * (unless empty is allowed) or any other failure keeps the routes in force and is
	 * reported (log, {@link ControlState#lastReloadError()}, the listeners). Never
	 * throws.
	 * @return what the reload did
	 */
	public ReloadResult reload() {
		synchronized (this.lock) {
			ControlState before = this.state;
			try {
				RouteTable files = this.loader.loadExisting(this.location, this.allowEmpty);
				return apply(before, files);
			}
			catch (InvalidRoutesException ex) {
				logger.error("Route files rejected, the routes in force are kept: " + ex.getMessage());
				return rejected(ex.getMessage(), false);
			}
			catch (RoutesUnavailableException ex) {
				logger.error("Route files not reloaded, the routes in force are kept: " + ex.getMessage());
				return rejected(ex.getMessage(), false);
			}
			catch (RuntimeException ex) {
				// Not the files' fault: report it and let the next poll try again.
				logger.error(
						"Reloading the route files failed; the routes in force are kept, retried at the next check",
						ex);
				return rejected("Reload failed: " + ex, true);
			}
		}
	}

	private ReloadResult apply(ControlState before, RouteTable files) {
		ControlState next = ControlState.of(files, before.overrides(), this.clock.instant(), Optional.empty());
		swap(next);
		List<String> ids = files.routes().stream().map(Route::id).toList();
		List<String> added = difference(ids, before.routes().keySet());
		List<String> removed = difference(List.copyOf(before.routes().keySet()), Set.copyOf(ids));
		logger.info("Route files reloaded: " + ids.size() + " route(s)" + (added.isEmpty() ? "" : ", added " + added)
				+ (removed.isEmpty() ? "" : ", removed " + removed));
		next.orphans()
			.forEach((orphan) -> logger.warn("Override of route '" + orphan.routeId()
					+ "' is kept but not applied: no route file defines that route"));
		this.listeners.forEach((listener) -> listener.reloaded(Optional.empty()));
		return new ReloadResult(ids, added, removed, Optional.empty());
	}

	private ReloadResult rejected(String message, boolean retry) {
		ReloadError error = new ReloadError(message, this.clock.instant(), retry);
		// The current state: a failure after the swap has already changed it.
		ControlState now = this.state;
		this.state = new ControlState(now.files(), now.overrides(), now.routes(), now.orphans(), now.loadedAt(),
				Optional.of(error));
		for (ReloadListener listener : this.listeners) {
			try {
				listener.reloaded(Optional.of(error));
			}
			catch (RuntimeException ex) {
				logger.error("Reload listener " + listener + " failed", ex);
			}
		}
		return new ReloadResult(now.files().routes().stream().map(Route::id).toList(), List.of(), List.of(),
				Optional.of(error));
	}

	private void overridesChanged(OverrideSnapshot overrides) {
		synchronized (this.lock) {
			ControlState before = this.state;
			// The store notifies in revision order; this guards a store that cannot.
			if (overrides.revision() < before.overrides().revision()) {
				return;
			}
			swap(ControlState.of(before.files(), overrides, before.loadedAt(), before.lastReloadError()));
		}
	}

	private void swap(ControlState next) {
		RouteTable effective = next.effectiveTable();
		this.state = next;
		this.holder.replace(effective);
		next.routes()
			.values()
			.stream()
			.filter((route) -> route.overrideProblem().isPresent())
			.forEach((route) -> logger.warn(
					"Override of route '" + route.id() + "' is only partly applied: " + route.overrideProblem().get()));
		this.listeners.forEach((listener) -> listener.routesChanged(effective));
	}

	private static List<String> difference(List<String> ids, Set<String> others) {
		List<String> result = new ArrayList<>(ids);
		result.removeAll(others);
		return result;
	}

	@Override
	public void close() {
		this.subscription.close();
	}

	@Override
	public String toString() {
		return "RouteControl[location=" + this.location + ", routes=" + this.state.routes().keySet() + ", overrides="
				+ this.state.overrides().overrides().keySet() + "]";
	}

	/**
	 * Told what the control plane did; implementations must be quick.
	 */
	public interface ReloadListener {

		/**
		 * After each reload attempt.
		 * @param error why the files were rejected; empty when they were swapped in
		 */
		default void reloaded(Optional<ReloadError> error) {
		}

		/**
		 * After each swap of the effective table, for example to drop caches of routes
		 * that changed.
		 * @param effective the table now in force
		 */
		default void routesChanged(RouteTable effective) {
		}

	}

}
