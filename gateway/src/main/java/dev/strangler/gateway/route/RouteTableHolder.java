package dev.strangler.gateway.route;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the route table in force. Tables are immutable and replaced whole, so a request
 * sees either the old or the new configuration, never a mix.
 */
public final class RouteTableHolder {

	private final AtomicReference<RouteTable> current;

	public RouteTableHolder(RouteTable initial) {
		this.current = new AtomicReference<>(initial);
	}

	/**
	 * The table in force.
	 * @return the current table
	 */
	public RouteTable current() {
		return this.current.get();
	}

	/**
	 * Puts a new, fully validated table in force.
	 * @param table the new table
	 * @return the table it replaced
	 */
	public RouteTable replace(RouteTable table) {
		return this.current.getAndSet(table);
	}

	@Override
	public String toString() {
		return "RouteTableHolder[" + current() + "]";
	}

}
