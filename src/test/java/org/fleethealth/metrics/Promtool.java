package org.fleethealth.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus's {@code promtool}; a missing promtool fails the test with how to install it. */
final class Promtool {

	record Result(int exitCode, String output) {
	}

	private Promtool() {
	}

	static Result run(String stdin, String... args) {
		String promtool = Files.isExecutable(Path.of("/usr/bin/promtool")) ? "/usr/bin/promtool" : "promtool";
		List<String> command = new ArrayList<>(List.of(promtool));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (stdin != null) {
				process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
			}
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(2, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish");
			}
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"promtool is not installed: install Debian's package 'prometheus' (apt-get install prometheus)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
