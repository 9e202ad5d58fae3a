package dev.strangler.gateway.evidence;

import java.util.Objects;

import dev.strangler.gateway.compare.DiffRecord;

/**
 * One mismatch and the gateway instance that recorded it.
 *
 * @param instance the instance's id ({@code strangler.evidence.instance-id})
 * @param record the mismatch
 */
public record InstanceDiff(String instance, DiffRecord record) {

	public InstanceDiff {
		Objects.requireNonNull(instance, "instance");
		Objects.requireNonNull(record, "record");
	}

}
