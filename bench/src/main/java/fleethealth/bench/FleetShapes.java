package fleethealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fleets shaped like real ones, read at run time from the fleet files beside the project
 * ({@code ../shared/fleets/cpython.json}, {@code llvm.json}; see their README): the workers, builders, tags and
 * which workers serve which builder, as the masters configure them. The files hold no history, so the cadence comes
 * from here: CPython's from the fleet README (about 1,275 builds a day of 15 to 18 minutes); LLVM's is not in the
 * file and is an estimate (4,000 a day of 10 to 60 minutes), to be overridden with {@code --per-day}.
 */
final class FleetShapes {

	/** Where the fleet files are unless {@code --fleets} says otherwise: beside the project. */
	static final Path DEFAULT_DIR = Path.of("..", "shared", "fleets");

	static final List<String> NAMES = List.of("synthetic", "cpython", "llvm");

	private FleetShapes() {
	}

	/** Builds a day when {@code --per-day} does not say: CPython's measured, LLVM's estimated. */
	static int defaultPerDay(String shape) {
		return switch (shape) {
			case "cpython" -> 1275;
			case "llvm" -> 4000;
			default -> throw new IllegalArgumentException("unknown shape '" + shape + "'; one of " + NAMES);
		};
	}

	/**
	 * The fleet of shape {@code shape} read from {@code dir}, with {@code stored} builds of history at
	 * {@code perDay} (0: the shape's own cadence).
	 * @throws IllegalStateException naming the file when it is missing or not a fleet file
	 */
	static SyntheticFleet load(String shape, Path dir, long stored, int perDay) {
		int rate = (perDay > 0) ? perDay : defaultPerDay(shape);
		Path file = dir.resolve(shape + ".json");
		if (!Files.isRegularFile(file)) {
			throw new IllegalStateException("The fleet file for --shape " + shape + " is missing: "
					+ file.toAbsolutePath().normalize() + " (the fleets live beside the project, in ../shared/fleets/;"
					+ " --fleets DIR points elsewhere)");
		}
		JsonNode root;
		try {
			root = JsonMapper.builder().build().readTree(Files.readString(file));
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Cannot read the fleet file " + file.toAbsolutePath().normalize() + ": " + ex,
					ex);
		}
		JsonNode workers = root.path("workers");
		JsonNode builders = root.path("builders");
		if (!workers.isArray() || !builders.isArray() || workers.isEmpty() || builders.isEmpty()) {
			throw new IllegalStateException("Not a fleet file (no 'workers' and 'builders' lists): "
					+ file.toAbsolutePath().normalize());
		}
		String[] names = new String[workers.size()];
		String[] admins = new String[workers.size()];
		Map<String, Integer> index = new HashMap<>();
		for (int w = 0; w < names.length; w++) {
			JsonNode worker = workers.get(w);
			names[w] = worker.path("name").asString();
			index.put(names[w], w);
			admins[w] = admin(shape, worker);
		}
		String[] builderNames = new String[builders.size()];
		String[][] tags = new String[builders.size()][];
		int[][] pools = new int[builders.size()][];
		for (int b = 0; b < builderNames.length; b++) {
			JsonNode builder = builders.get(b);
			builderNames[b] = builder.path("name").asString();
			List<String> t = new ArrayList<>();
			builder.path("tags").forEach((tag) -> t.add(tag.asString()));
			tags[b] = t.toArray(String[]::new);
			List<Integer> pool = new ArrayList<>();
			builder.path("workernames").forEach((n) -> {
				Integer w = index.get(n.asString());
				if (w != null) {
					pool.add(w);
				}
			});
			pools[b] = pool.stream().mapToInt(Integer::intValue).toArray();
		}
		int[] durations = switch (shape) {
			case "cpython" -> new int[] { 15 * 60, 3 * 60 };
			default -> new int[] { 10 * 60, 50 * 60 };
		};
		return new SyntheticFleet(shape, stored, rate, durations[0], durations[1], names, admins, builderNames, tags,
				pools);
	}

	/** What a worker's {@code info/admin} says: CPython's owner key and address, LLVM's organisation. */
	private static String admin(String shape, JsonNode worker) {
		if (shape.equals("cpython")) {
			return worker.path("owner").asString() + " <" + worker.path("owner_email").asString() + ">";
		}
		String org = worker.path("org").asString();
		return org + " build bots <" + org + "-bots@example.org>";
	}

}
