package org.fleethealth.fleet.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.fleethealth.fleet.BuildSummary;
import org.fleethealth.source.SourceBuild;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The recent builds of each master, kept in memory: every classification round reads a whole window of builds
 * (70,000 at 10,000 workers), and a heartbeat round changes none of them.
 *
 * <p>
 * Correct with several instances sharing the database: every transaction that writes a master's builds moves
 * its {@code master_state.builds_version} ({@link #written}); this instance applies its own writes to the window
 * after they commit, and reads the window from the database again whenever the stored version is not the one
 * the window has seen, for instance after another instance wrote. The version is read before the builds, so a
 * window read from the database never misses a write its version claims.
 */
@Component
public class BuildWindows {

	private final Builds builds;

	private final JdbcTemplate jdbc;

	private final Map<String, Window> windows = new HashMap<>();

	private long loads;

	BuildWindows(Builds builds, JdbcTemplate jdbc) {
		this.builds = builds;
		this.jdbc = jdbc;
	}

	/** The master's builds started since the given instant, in no particular order. */
	public synchronized List<BuildSummary> since(String master, Instant since) {
		long version = storedVersion(master);
		Window window = this.windows.get(master);
		if (window == null || window.version != version || window.from.isAfter(since)) {
			this.loads++;
			window = new Window(version, since);
			this.builds.summariesStartedSince(master, since).forEach(window::put);
			this.windows.put(master, window);
		}
		return window.since(since);
	}

	/** How often a window was read from the database (for tests). */
	synchronized long loads() {
		return this.loads;
	}

	private long storedVersion(String master) {
		List<Long> version = this.jdbc.queryForList("select builds_version from master_state where name = ?",
				Long.class, master);
		return version.isEmpty() ? -1 : version.get(0);
	}

	/**
	 * Called inside a transaction that wrote builds of the master: moves the version (the row lock orders writers
	 * of one master) and applies the change to this instance's window once the transaction commits.
	 */
	void written(String master, Change change) {
		if (this.jdbc.update("update master_state set builds_version = builds_version + 1 where name = ?",
				master) == 0) {
			forget(master);
			return;
		}
		long version = storedVersion(master);
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			forget(master);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				applied(master, version, change);
			}
		});
	}

	private synchronized void forget(String master) {
		this.windows.remove(master);
	}

	private synchronized void applied(String master, long version, Change change) {
		Window window = this.windows.get(master);
		if (window == null || window.version >= version) {
			// None kept, or read from the database after this write committed: it is in there already.
			return;
		}
		if (window.version == version - 1 && change.applyTo(window)) {
			window.version = version;
		}
		else {
			// A write this instance did not see (another instance's), or one it cannot apply: read again.
			this.windows.remove(master);
		}
	}

	/** Builds as stored by {@code BuildStore}: {@code inserted} are the ids that were new to the database. */
	static Change stored(Collection<SourceBuild> stored, Set<Long> inserted, Predicate<SourceBuild> settled) {
		return (window) -> {
			for (SourceBuild b : stored) {
				BuildSummary before = window.byId.get(b.id());
				if (before == null && !inserted.contains(b.id()) && !b.startedAt().isBefore(window.from)) {
					// An update of a build the window does not have: its failing step is not known here.
					return false;
				}
				String failingStep = (before != null) ? before.failingStep() : null;
				boolean stepsFetched = (before != null && before.stepsFetched()) || settled.test(b);
				window.byId.remove(b.id());
				window.put(new BuildSummary(b.id(), b.number(), b.builderId(), b.workerId(), stored(b.startedAt()),
						stored(b.completeAt()), b.complete(), b.results(), Build.truncate(b.revision(), Build.MAX_REVISION),
						failingStep, Build.truncate(b.branch(), Build.MAX_BRANCH),
						Build.truncate(b.stateString(), Build.MAX_STATE_STRING), stepsFetched));
			}
			return true;
		};
	}

	/** Failing steps as stored by {@code BuildStore}, by build id. */
	static Change failingSteps(Map<Long, String> failingSteps) {
		return (window) -> {
			failingSteps.forEach((id, step) -> {
				BuildSummary b = window.byId.get(id);
				if (b != null) {
					window.put(new BuildSummary(b.id(), b.number(), b.builderId(), b.workerId(), b.startedAt(),
							b.completeAt(), b.complete(), b.results(), b.revision(),
							Build.truncate(step, Build.MAX_FAILING_STEP), b.branch(), b.stateString(), true));
				}
			});
			return true;
		};
	}

	/** Instants as the database keeps them (microseconds). */
	private static Instant stored(Instant at) {
		return (at != null) ? at.truncatedTo(ChronoUnit.MICROS) : null;
	}

	/** A committed write, applied to a window; false if it cannot be, and the window must be read again. */
	interface Change {

		boolean applyTo(Window window);

	}

	/** The builds of one master started since {@code from}, as of {@code version}. */
	static final class Window {

		long version;

		Instant from;

		final Map<Long, BuildSummary> byId = new HashMap<>();

		// One instance of each revision, step name, branch and state string: a revision is built by thousands of
		// builds, and most builds end with one of a few state strings.
		private final Map<String, String> strings = new HashMap<>();

		Window(long version, Instant from) {
			this.version = version;
			this.from = from;
		}

		void put(BuildSummary b) {
			if (b.startedAt().isBefore(this.from)) {
				return;
			}
			this.byId.put(b.id(), new BuildSummary(b.id(), b.number(), b.builderId(), b.workerId(), b.startedAt(),
					b.completeAt(), b.complete(), b.results(), canonical(b.revision()), canonical(b.failingStep()),
					canonical(b.branch()), canonical(b.stateString()), b.stepsFetched()));
		}

		private String canonical(String s) {
			return (s != null) ? this.strings.computeIfAbsent(s, (k) -> k) : null;
		}

		/** The builds started since {@code since}, no earlier than {@code from}; older ones are dropped. */
		public List<BuildSummary> since(Instant since) {
			if (since.isAfter(this.from)) {
				this.byId.values().removeIf((b) -> b.startedAt().isBefore(since));
				this.from = since;
				if (this.strings.size() > 4 * this.byId.size() + 1000) {
					this.strings.clear();
				}
			}
			return new ArrayList<>(this.byId.values());
		}

	}

}
