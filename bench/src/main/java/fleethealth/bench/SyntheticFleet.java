package fleethealth.bench;

import java.time.Instant;

/**
 * A deterministic Buildbot fleet computed, not stored: every build and step is a pure function of its id, the
 * sizes and the fleet's topology (which workers serve which builder), so the fake master and the database seeder
 * agree without sharing memory and a million builds cost nothing to hold.
 *
 * <p>
 * Shape (see bench/README.md): the synthetic shape has {@code builders} pools and each worker serves two of them;
 * a real shape ({@link FleetShapes}: CPython's, LLVM's) takes its workers, builders, tags and pools from the fleet
 * file. Build {@code k} runs on builder {@code k % builders} (every builder builds every revision once, so a
 * revision has one build per builder: the peers the classifier compares), on a worker of that builder's pool.
 * Builds arrive at a fixed fleet rate, so more stored builds means a longer history, not a busier window. A few
 * workers are broken on purpose: never connected, offline, flaky host, failing build, flapping connection.
 */
final class SyntheticFleet {

	static final String[] CLASSES = { "gcc", "clang", "lto", "pgo", "shared", "nogil", "asan", "refleak",
			"installed", "arm64" };

	static final String[] OS = { "debian", "fedora", "freebsd", "macos", "windows", "ubuntu", "rhel", "arm64" };

	/** The time of the build with id {@code stored}: the fleet's "now" when the benchmark starts. */
	/**
	 * The fleet's "now" when its history was taken, in epoch seconds: a fixed day, so that runs are alike, or the
	 * system property {@code bench.anchor} ({@code --mode serve} sets it to the time it starts, so that a service on
	 * the real clock finds the history recent).
	 */
	static final long ANCHOR_SECONDS = Long.getLong("bench.anchor",
			Instant.parse("2026-11-01T00:00:00Z").getEpochSecond());

	enum Profile {

		HEALTHY, NEVER_CONNECTED, OFFLINE, FLAKY_HOST, FAILING_BUILD, FLAPPING

	}

	/** {@code synthetic}, or the name of the fleet file a real shape came from ({@code cpython}, {@code llvm}). */
	final String shape;

	final int workers;

	final int builders;

	final long stored;

	final int perDay;

	final double spacing;

	/** Shortest build, and how much longer the longest is, in seconds. */
	final int minDurationS;

	final int durationSpanS;

	/** The workers of each builder, in the order its builds go round them. */
	final int[][] pools;

	/** The builders each worker is configured on (for the failing-build profile, the first fails). */
	final int[][] configured;

	// Names and tags of a real shape; null for the synthetic one (computed from ids).
	private final String[] workerNames;

	private final String[] admins;

	private final String[] builderNames;

	private final String[][] builderTags;

	SyntheticFleet(int workers, long stored, int perDay, int builders) {
		if (builders < 2 || workers < builders) {
			throw new IllegalArgumentException("need 2 <= builders <= workers");
		}
		this.shape = "synthetic";
		this.workers = workers;
		this.stored = stored;
		this.perDay = perDay;
		this.builders = builders;
		this.spacing = 86400.0 / perDay;
		this.minDurationS = 300;
		this.durationSpanS = 1800;
		this.workerNames = null;
		this.admins = null;
		this.builderNames = null;
		this.builderTags = null;
		// Builder b's pool: the workers whose first builder it is (w % builders == b), then those whose second it is.
		this.pools = new int[builders][];
		for (int b = 0; b < builders; b++) {
			int other = ((b - builders / 2) % builders + builders) % builders;
			int ma = membersWithRemainder(b);
			int mb = (other == b) ? 0 : membersWithRemainder(other);
			int[] pool = new int[ma + mb];
			for (int idx = 0; idx < pool.length; idx++) {
				pool[idx] = (idx < ma) ? b + idx * builders : other + (idx - ma) * builders;
			}
			this.pools[b] = pool;
		}
		this.configured = new int[workers][];
		for (int w = 0; w < workers; w++) {
			this.configured[w] = new int[] { w % builders, (w % builders + builders / 2) % builders };
		}
	}

	/**
	 * A fleet of a real shape: its workers (names and owner contacts), builders (names, tags) and which workers
	 * serve which builder, with builds arriving at {@code perDay} and lasting {@code minDurationS} to
	 * {@code minDurationS + durationSpanS} seconds.
	 */
	SyntheticFleet(String shape, long stored, int perDay, int minDurationS, int durationSpanS, String[] workerNames,
			String[] admins, String[] builderNames, String[][] builderTags, int[][] pools) {
		this.shape = shape;
		this.workers = workerNames.length;
		this.builders = builderNames.length;
		this.stored = stored;
		this.perDay = perDay;
		this.spacing = 86400.0 / perDay;
		this.minDurationS = minDurationS;
		this.durationSpanS = durationSpanS;
		this.workerNames = workerNames;
		this.admins = admins;
		this.builderNames = builderNames;
		this.builderTags = builderTags;
		this.pools = pools;
		java.util.List<java.util.List<Integer>> byWorker = new java.util.ArrayList<>();
		for (int w = 0; w < this.workers; w++) {
			byWorker.add(new java.util.ArrayList<>());
		}
		for (int b = 0; b < this.builders; b++) {
			for (int w : pools[b]) {
				byWorker.get(w).add(b);
			}
		}
		this.configured = new int[this.workers][];
		for (int w = 0; w < this.workers; w++) {
			this.configured[w] = byWorker.get(w).stream().mapToInt(Integer::intValue).toArray();
		}
	}

	/**
	 * The fleet a running {@link FakeBuildbot} serves, from its {@code /bench/state}: the synthetic one of its size,
	 * or the real shape it read (from the same fleet file).
	 */
	static SyntheticFleet from(tools.jackson.databind.JsonNode state) {
		long stored = state.get("stored").asLong();
		String shape = state.path("shape").isString() ? state.path("shape").asString() : "synthetic";
		if (shape.equals("synthetic")) {
			return of(state.get("workers").asInt(), stored);
		}
		return FleetShapes.load(shape, java.nio.file.Path.of(state.path("fleets").asString()), stored,
				state.get("perDay").asInt());
	}

	/** Defaults: 10 builds per worker and day, at most 10,000 a day fleet-wide; a builder pool per 5 workers. */
	static SyntheticFleet of(int workers, long stored) {
		return new SyntheticFleet(workers, stored, Math.min(workers * 10, 10_000), Math.max(2, workers / 5));
	}

	// ---- time

	/** When build {@code k} started, in epoch milliseconds. */
	long startedMillis(long k) {
		return Math.round((ANCHOR_SECONDS - (this.stored - k) * this.spacing) * 1000);
	}

	long durationMillis(long k) {
		return (this.minDurationS + mix(k, 11) % this.durationSpanS) * 1000;
	}

	/** The longest a build can last, in milliseconds. */
	long maxDurationMillis() {
		return (this.minDurationS + this.durationSpanS) * 1000L;
	}

	/** {@code started_at} as the API serves it: whole epoch seconds. */
	long startedAt(long k) {
		return Math.floorDiv(startedMillis(k), 1000);
	}

	/** {@code complete_at} as the API serves it once the build finished. */
	long completeAt(long k) {
		return startedAt(k) + durationMillis(k) / 1000;
	}

	/** Whether build {@code k} is still running at {@code nowMillis}. */
	boolean running(long k, long nowMillis) {
		return completeAt(k) * 1000 > nowMillis;
	}

	/** The fleet's clock when {@code maxId} is the newest build: one second after it started. */
	long nowMillis(long maxId) {
		return startedMillis(maxId) + 1000;
	}

	/** The newest build that started before {@code millis}. */
	long lastBuildBefore(long millis) {
		double k = this.stored - (ANCHOR_SECONDS - millis / 1000.0) / this.spacing;
		long id = (long) Math.floor(k);
		while (id > 0 && startedMillis(id) >= millis) {
			id--;
		}
		while (startedMillis(id + 1) < millis) {
			id++;
		}
		return Math.max(0, id);
	}

	// ---- workers

	Profile profile(int w) {
		long h = mix(w, 1) % 1000;
		if (h < 10) {
			return Profile.NEVER_CONNECTED;
		}
		if (h < 40) {
			return Profile.OFFLINE;
		}
		if (h < 70) {
			return Profile.FLAKY_HOST;
		}
		if (h < 100) {
			return Profile.FAILING_BUILD;
		}
		if (h < 110) {
			return Profile.FLAPPING;
		}
		return Profile.HEALTHY;
	}

	String workerName(int w) {
		return (this.workerNames != null) ? this.workerNames[w] : "owner" + (w / 3) + "-" + OS[w % OS.length] + "-" + w;
	}

	String admin(int w) {
		return (this.admins != null) ? this.admins[w] : "Owner " + (w / 3) + " <owner" + (w / 3) + "@example.org>";
	}

	String version(int w) {
		return (mix(w, 2) % 20 == 0) ? "3.6.1" : "3.7.0";
	}

	/** When an offline worker went away (it builds nothing after that), or {@code Long.MAX_VALUE}. */
	long offlineSinceMillis(int w) {
		Profile p = profile(w);
		if (p == Profile.NEVER_CONNECTED) {
			return Long.MIN_VALUE;
		}
		if (p == Profile.OFFLINE) {
			return (ANCHOR_SECONDS - 3600 * (2 + mix(w, 3) % 70)) * 1000;
		}
		return Long.MAX_VALUE;
	}

	/** Whether the worker is connected at heartbeat number {@code epoch}. */
	boolean connected(int w, long epoch, long nowMillis) {
		return switch (profile(w)) {
			case NEVER_CONNECTED -> false;
			case OFFLINE -> nowMillis < offlineSinceMillis(w);
			case FLAPPING -> ((epoch + w) % 2) == 0;
			default -> true;
		};
	}

	/** The builders worker {@code w} is configured on (none for a worker of a real shape that serves none). */
	int[] builders(int w) {
		return this.configured[w];
	}

	// ---- builders

	String builderName(int b) {
		return (this.builderNames != null) ? this.builderNames[b] : CLASSES[b % CLASSES.length] + " pool-" + b;
	}

	String[] tags(int b) {
		if (this.builderTags != null) {
			return this.builderTags[b];
		}
		String first = CLASSES[b % CLASSES.length];
		String second = CLASSES[(b / CLASSES.length + 3) % CLASSES.length];
		String stability = (b % 3 == 0) ? "unstable" : "stable";
		String tier = "tier-" + (1 + b % 3);
		return first.equals(second) ? new String[] { first, stability, tier }
				: new String[] { first, second, stability, tier };
	}

	private int membersWithRemainder(int r) {
		return this.workers / this.builders + ((r < this.workers % this.builders) ? 1 : 0);
	}

	// ---- builds

	int builderOf(long k) {
		return (int) (k % this.builders);
	}

	int numberOf(long k) {
		return (int) (k / this.builders) + 1;
	}

	/** A worker of the builder's pool that was around when the build started; -1 if none was. */
	int workerOf(long k) {
		int[] pool = this.pools[builderOf(k)];
		if (pool.length == 0) {
			return -1;
		}
		long started = startedMillis(k);
		int start = (int) (mix(k, 5) % pool.length);
		for (int i = 0; i < pool.length; i++) {
			int w = pool[(start + i) % pool.length];
			if (started < offlineSinceMillis(w)) {
				return w;
			}
		}
		return -1;
	}

	/**
	 * When the last worker of builder {@code b}'s pool went away for good ({@code Long.MIN_VALUE}: none ever came),
	 * or {@code Long.MAX_VALUE} while one is around: from then on its builds find no worker, and the master keeps
	 * their requests waiting.
	 */
	long abandonedSinceMillis(int b) {
		long since = Long.MIN_VALUE;
		for (int w : this.pools[b]) {
			since = Math.max(since, offlineSinceMillis(w));
		}
		return since;
	}

	long revisionNumber(long k) {
		return k / this.builders;
	}

	String revision(long k) {
		long r = revisionNumber(k);
		return String.format("%016x%016x%08x", mix(r, 21), mix(r, 22), mix(r, 23) & 0xffffffffL);
	}

	/** One revision in 50 breaks the code: it fails its tests (almost) everywhere. */
	boolean codeBreak(long k) {
		return mix(revisionNumber(k), 24) % 50 == 0;
	}

	/** Buildbot result code of a finished build. */
	int results(long k) {
		int w = workerOf(k);
		long h = mix(k, 7) % 1000;
		Profile p = (w < 0) ? Profile.HEALTHY : profile(w);
		if (p == Profile.FLAKY_HOST) {
			if (h < 100) {
				return 4;
			}
			if (h < 150) {
				return 5;
			}
			if (h < 300) {
				return 2;
			}
		}
		if (p == Profile.FAILING_BUILD && this.configured[w].length > 0 && builderOf(k) == this.configured[w][0]
				&& startedMillis(k) > (ANCHOR_SECONDS - 5 * 86400) * 1000) {
			return 2;
		}
		if (codeBreak(k) && h < 900) {
			return 2;
		}
		if (h < 10) {
			return 2;
		}
		if (h < 15) {
			return 4;
		}
		if (h < 40) {
			return 1;
		}
		return 0;
	}

	/** The step a failed build failed in: {@code git} for a flaky host's checkout, else {@code test}. */
	String failingStep(long k) {
		int r = results(k);
		if (r == 0 || r == 1) {
			return null;
		}
		if (r == 4) {
			return "compile";
		}
		if (r == 5) {
			return "worker_preparation";
		}
		int w = workerOf(k);
		if (w >= 0 && profile(w) == Profile.FLAKY_HOST && mix(k, 8) % 2 == 0) {
			return "git";
		}
		return "test";
	}

	String stateString(long k) {
		return switch (results(k)) {
			case 0 -> "build successful";
			case 1 -> "build successful (warnings)";
			case 4 -> "failed compile (exception)";
			case 5 -> "worker_preparation (retry)";
			default -> "git".equals(failingStep(k)) ? "failed update (failure)" : "failed test (failure)";
		};
	}

	/** A failed checkout has no {@code got_revision}, as with a real master. */
	boolean hasRevision(long k) {
		return !"git".equals(failingStep(k));
	}

	static final String[] STEP_NAMES = { "worker_preparation", "git", "configure", "compile", "test", "upload" };

	/** Results of each of {@link #STEP_NAMES} for build {@code k} (null: never ran). */
	Integer[] stepResults(long k) {
		Integer[] steps = new Integer[STEP_NAMES.length];
		String failing = failingStep(k);
		int r = results(k);
		for (int i = 0; i < steps.length; i++) {
			if (failing == null) {
				steps[i] = (r == 1 && STEP_NAMES[i].equals("test")) ? 1 : 0;
			}
			else if (STEP_NAMES[i].equals(failing)) {
				steps[i] = r;
				break;
			}
			else {
				steps[i] = 0;
			}
		}
		return steps;
	}

	/** SplitMix64 finaliser: a cheap, well-spread hash of a value and a salt, never negative. */
	static long mix(long value, long salt) {
		long z = value * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return (z ^ (z >>> 31)) >>> 1;
	}

}
