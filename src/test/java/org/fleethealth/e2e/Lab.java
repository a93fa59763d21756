package org.fleethealth.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code scripts/lab}, the real Buildbot fleet the README uses, from tests. A lab that cannot start
 * (Buildbot not installed, port taken) fails the test with the lab's own message: it is never skipped.
 */
public final class Lab implements AutoCloseable {

	private final Path dir;

	private final int wwwPort;

	private final int pbPort;

	private int stagingWwwPort;

	public Lab(Path dir) {
		this.dir = dir;
		this.wwwPort = freePort();
		this.pbPort = freePort();
	}

	/** Starts the fleet and returns the master's base URL, which {@code up} prints last. */
	public String up() {
		List<String> out = lines(
				run("--www-port", String.valueOf(this.wwwPort), "--pb-port", String.valueOf(this.pbPort), "up"));
		return out.get(out.size() - 1);
	}

	/**
	 * Starts the fleet with a second master, {@code staging}, that loads the same configuration (workers connect
	 * to one of the two); returns the production master's base URL.
	 */
	public String upWithStaging() {
		this.stagingWwwPort = freePort();
		List<String> out = lines(run("--www-port", String.valueOf(this.wwwPort), "--pb-port",
				String.valueOf(this.pbPort), "up", "--masters", "2", "--staging-www-port",
				String.valueOf(this.stagingWwwPort), "--staging-pb-port", String.valueOf(freePort())));
		return out.get(out.size() - 1);
	}

	/** The staging master's base URL (after {@link #upWithStaging()}). */
	public String stagingUrl() {
		return "http://127.0.0.1:" + this.stagingWwwPort + "/";
	}

	/** Starts the fleet in a layout ({@code classic} or {@code pools}) and returns the master's base URL. */
	public String up(String layout) {
		List<String> out = lines(run("--www-port", String.valueOf(this.wwwPort), "--pb-port",
				String.valueOf(this.pbPort), "up", "--layout", layout));
		return out.get(out.size() - 1);
	}

	/** The master's base URL. */
	public String url() {
		return "http://127.0.0.1:" + this.wwwPort + "/";
	}

	public String run(String... args) {
		List<String> command = new ArrayList<>(List.of("python3", "scripts/lab", "--dir", this.dir.toString()));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
			// Read both streams fully before waiting, so a chatty lab cannot block on a full pipe.
			var err = process.getErrorStream();
			var errText = new StringBuilder();
			Thread drain = new Thread(() -> {
				try {
					errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					// the process went away; what was read is reported
				}
			});
			drain.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(5, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("scripts/lab " + String.join(" ", args) + " did not finish");
			}
			drain.join();
			if (process.exitValue() != 0) {
				throw new IllegalStateException("scripts/lab " + String.join(" ", args) + " failed with exit code "
						+ process.exitValue() + ":\n" + errText + out);
			}
			return out;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run scripts/lab (is python3 installed?): " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> lines(String out) {
		return out.lines().filter((l) -> !l.isBlank()).toList();
	}

	@Override
	public void close() {
		run("down");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
