package org.fleethealth.buildbot;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What went wrong talking to a master, as a line for {@code lastError}, the stream's reason and the log. Java's
 * HTTP client reports a host name that does not resolve and a port nobody listens on alike, as a
 * {@code ConnectException} without a message; only the cause below it tells them apart (an
 * {@code UnresolvedAddressException}), and a mistyped host name is not a master that is down.
 */
final class Failures {

	private Failures() {
	}

	/** The failure as its type and message, with what the causes say of a connection that could not be made. */
	static String describe(Throwable ex) {
		Throwable failure = ex;
		while ((failure instanceof CompletionException || failure instanceof ExecutionException)
				&& failure.getCause() != null) {
			failure = failure.getCause();
		}
		String text = failure.getClass().getSimpleName()
				+ ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
		String why = connectionFailure(failure);
		return (why != null) ? text + " (" + why + ")" : text;
	}

	private static String connectionFailure(Throwable failure) {
		boolean connect = false;
		for (Throwable t = failure; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
				return "the host name does not resolve: check the master's url";
			}
			connect |= t instanceof ConnectException;
		}
		// Refused, or no route: the client says no more (a ClosedChannelException below it).
		return connect ? "no connection: nothing listens at that address and port, or the master or the network to it"
				+ " is down" : null;
	}

}
