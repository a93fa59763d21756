package org.fleethealth.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The name an instance goes by in Quartz's cluster tables ({@code qrtz_scheduler_state.instance_name}, and the
 * prefix of each {@code qrtz_fired_triggers.entry_id}): {@code <host>-<pid>-<8 random hex digits>}, for example
 * {@code build-mon-1-48211-9c1f03ab}.
 * <p>
 * Quartz's own {@code AUTO} name is the host name and the start's millisecond. Two instances that started on one
 * host (or in containers with one host name) within the same millisecond got the same name: Quartz then took
 * them for one instance, so one never checked in, each released the other's triggers, and a killed one's job was
 * never taken over. A cluster test met it once in about 30 runs of three instances starting together. The
 * process id and the random part make the names differ; the host name and pid say where the instance runs.
 */
final class InstanceIds {

	/** {@code entry_id} holds 95 characters: the name, then a 13-digit counter. */
	static final int MAX_LENGTH = 80;

	private static final int MAX_HOST_LENGTH = 50;

	private InstanceIds() {
	}

	/** A new name for this process. */
	static String forThisProcess() {
		return of(hostName(), ProcessHandle.current().pid(), ThreadLocalRandom.current().nextInt());
	}

	static String of(String host, long pid, int random) {
		String shortHost = host.length() > MAX_HOST_LENGTH ? host.substring(0, MAX_HOST_LENGTH) : host;
		return shortHost + "-" + pid + "-" + HexFormat.of().toHexDigits(random);
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			// The name is for people; the pid and the random part keep it unique.
			return "localhost";
		}
	}

}
