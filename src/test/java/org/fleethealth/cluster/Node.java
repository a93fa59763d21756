package org.fleethealth.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One fleet-health instance as its own JVM ({@code java -jar target/fleet-health-*.jar}, built by the package
 * phase before the integration tests run), with its output in a file under {@code target/}. Tests always
 * {@link #close()} it.
 */
final class Node implements AutoCloseable {

	/** The start of a log line (Spring Boot's format); a stack trace's lines do not have it. */
	private static final Pattern LOG_LINE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T");

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String name;

	private final int port;

	private final Path log;

	private final Process process;

	private Node(String name, int port, Path log, Process process) {
		this.name = name;
		this.port = port;
		this.log = log;
		this.process = process;
	}

	/**
	 * Starts an instance. {@code jvmOptions} go before {@code -jar}, {@code args} after it; the server port is
	 * chosen here.
	 */
	static Node start(String name, Path dir, Map<String, String> env, List<String> jvmOptions, List<String> args) {
		int port = freePort();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// A quick start on two busy cores matters more here than peak speed.
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Duser.timezone=UTC"));
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar().toString(), "--server.port=" + port, "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off"));
		command.addAll(args);
		try {
			Files.createDirectories(dir);
			Path log = dir.resolve(name + ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			builder.environment().putAll(env);
			Files.writeString(log, "$ " + String.join(" ", command) + "\n");
			Process process = builder.start();
			// Should the test JVM itself be stopped, the instance goes with it.
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
			return new Node(name, port, log, process);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The repackaged application jar of this build. */
	static Path jar() {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files
				.filter((p) -> p.getFileName().toString().matches("fleet-health-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"target/fleet-health-*.jar is missing: run the integration tests with ./mvnw verify"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String name() {
		return this.name;
	}

	int port() {
		return this.port;
	}

	String base() {
		return "http://127.0.0.1:" + this.port;
	}

	Path log() {
		return this.log;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Waits until the instance answers {@code /actuator/health} with UP; fails early if it died. */
	Node awaitUp(Duration atMost) {
		await(this.name + " up").atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
			assertThat(isAlive()).as(this.name + " exited; see " + this.log + ":\n" + tail(40)).isTrue();
			return healthStatus() == 200;
		});
		return this;
	}

	/** The HTTP status of {@code /actuator/health}, or -1 when it does not answer. */
	int healthStatus() {
		try {
			return HTTP
				.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).timeout(Duration.ofSeconds(10)).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	String get(String path) {
		try {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(this.name + " " + path + ": " + response.body()).isEqualTo(200);
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(this.name + " " + path, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The sum of a Prometheus metric's samples whose labels contain every given {@code name="value"} pair. */
	double metric(String metric, String... labels) {
		return Prometheus.sum(get("/actuator/prometheus"), metric, labels);
	}

	List<String> logLines() {
		try {
			return Files.readAllLines(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The log's errors, each with the lines after it up to the next log line (its stack trace, the first 25
	 * lines): an ERROR, or a duplicate key that a lower level let pass.
	 */
	List<String> errorsWithCause() {
		List<String> all = logLines();
		List<String> errors = new ArrayList<>();
		for (int i = 0; i < all.size(); i++) {
			String line = all.get(i);
			if (line.contains(" ERROR ") || line.contains("duplicate key") || line.contains("Unique index")) {
				StringBuilder error = new StringBuilder(line);
				for (int j = i + 1; j < all.size() && j <= i + 25 && !LOG_LINE.matcher(all.get(j)).lookingAt(); j++) {
					error.append('\n').append(all.get(j));
				}
				errors.add(error.toString());
			}
		}
		return errors;
	}

	String tail(int lines) {
		List<String> all = logLines();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	/** Kills the process at once, as a crash or {@code kill -9} would: no shutdown hooks run. */
	void kill() {
		this.process.destroyForcibly();
		waitFor(30);
	}

	/** Stops the instance the way a service manager does (SIGTERM, graceful shutdown). */
	void stop() {
		this.process.destroy();
		if (!waitFor(60)) {
			kill();
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private boolean waitFor(int seconds) {
		try {
			return this.process.waitFor(seconds, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
