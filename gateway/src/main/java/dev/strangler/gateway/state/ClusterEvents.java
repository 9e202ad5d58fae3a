package dev.strangler.gateway.state;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Requests one gateway instance passes on to every other one (a shared store only; a
 * single instance has no one to tell): empty a route's cache, reload the route files.
 *
 * <pre>{@code
 * events.subscribe(event -> { if (event.kind() == Kind.RELOAD) control.reload(); });
 * events.publish(ClusterEvents.Event.evict("catalog"));
 * }</pre>
 */
public interface ClusterEvents {

	/**
	 * Tells every other instance; never fails (a request that cannot be passed on is
	 * logged: the instance that got it has acted on it already).
	 * @param event what to do
	 */
	void publish(Event event);

	/**
	 * Follows the requests of the other instances (never this instance's own).
	 * @param listener acts on each; must be quick or hand the work over
	 * @return the subscription
	 */
	OverrideStore.Subscription subscribe(Consumer<Event> listener);

	/**
	 * A request for every instance.
	 *
	 * @param kind what to do
	 * @param routeId the route concerned, empty for a reload
	 */
	record Event(Kind kind, String routeId) {

		public Event {
			Objects.requireNonNull(kind, "kind");
			Objects.requireNonNull(routeId, "routeId");
		}

		/**
		 * Empty one route's cache.
		 * @param routeId the route
		 * @return the event
		 */
		public static Event evict(String routeId) {
			return new Event(Kind.EVICT_CACHE, routeId);
		}

		/**
		 * Re-read the route files.
		 * @return the event
		 */
		public static Event reload() {
			return new Event(Kind.RELOAD, "");
		}

	}

	/**
	 * What a request asks.
	 */
	enum Kind {

		/** Empty a route's response cache. */
		EVICT_CACHE,

		/** Re-read the route files. */
		RELOAD

	}

}
