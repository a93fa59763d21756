package org.fleethealth.buildbot;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuildRequest;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceAccessDeniedException;
import org.fleethealth.source.SourceException;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceWorker;

/**
 * Reads one Buildbot master's REST data API. Every request carries a {@code limit} (Buildbot limits
 * nothing by default and large masters have been knocked over by unbounded crawls), builds are paged on
 * {@code buildid} only (the primary key, so the limit is pushed into SQL), and every call has connect and
 * read timeouts.
 */
class BuildbotClient implements FleetSource {

	/**
	 * The longest URL sent: well within the request line that common servers and proxies accept (8 KB for
	 * Apache's {@code LimitRequestLine} and nginx's {@code large_client_header_buffers}), with room left for a
	 * proxy that adds to it.
	 */
	static final int MAX_URL_LENGTH = 4000;

	// The revision built and the branch it came from. Buildbot reads a build's properties in one query whatever
	// their number, so the second name costs nothing more.
	private static final String PROPERTIES = "&property=got_revision&property=branch";

	private final FleetProperties.Master master;

	private final URI base;

	private final BuildbotProperties properties;

	private final HttpClient http;

	private volatile boolean loggedIn;

	private final Clock clock;

	private BuildbotStream stream;

	BuildbotClient(FleetProperties.Master master, BuildbotProperties properties, Clock clock) {
		this.master = master;
		this.clock = clock;
		String url = master.url().toString();
		this.base = URI.create(url.endsWith("/") ? url : url + "/");
		this.properties = properties;
		// A cookie store keeps the session Buildbot hands out on /auth/login.
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
	}

	@Override
	public String masterName() {
		return this.master.name();
	}

	@Override
	public String url() {
		return this.base.toString();
	}

	@Override
	public List<SourceWorker> workers() {
		String path = "api/v2/workers?limit=" + this.properties.maxListSize();
		return BuildbotJson.workers(get(path), describe(path), this.properties.maxListSize());
	}

	@Override
	public List<SourceMaster> masters() {
		String path = "api/v2/masters?limit=" + this.properties.maxListSize();
		return BuildbotJson.masters(get(path), describe(path));
	}

	@Override
	public List<SourceBuilder> builders() {
		String path = "api/v2/builders?limit=" + this.properties.maxListSize();
		return BuildbotJson.builders(get(path), describe(path), this.properties.maxListSize());
	}

	@Override
	public List<SourceBuild> buildsAfter(long afterId, int limit) {
		String path = "api/v2/builds?buildid__gt=" + afterId + "&order=buildid&limit=" + limit + PROPERTIES;
		return BuildbotJson.builds(get(path), describe(path));
	}

	@Override
	public List<SourceBuild> buildsBefore(long beforeId, int limit) {
		String filter = (beforeId == Long.MAX_VALUE) ? "" : "buildid__lt=" + beforeId + "&";
		String path = "api/v2/builds?" + filter + "order=-buildid&limit=" + limit + PROPERTIES;
		return BuildbotJson.builds(get(path), describe(path));
	}

	/**
	 * Asks for builds by id in as many requests as it takes for each URL to stay within
	 * {@value #MAX_URL_LENGTH} characters.
	 */
	@Override
	public List<SourceBuild> builds(Collection<Long> ids) {
		List<SourceBuild> builds = new ArrayList<>();
		// Room for a limit of up to four more digits than the empty list's "0".
		int fixed = this.base.toString().length() + buildsById(List.of()).length() + 4;
		int length = fixed;
		List<Long> chunk = new ArrayList<>();
		for (Long id : ids) {
			int more = "&buildid__eq=".length() + String.valueOf(id).length();
			if (!chunk.isEmpty() && length + more > MAX_URL_LENGTH) {
				builds.addAll(readBuildsById(chunk));
				chunk = new ArrayList<>();
				length = fixed;
			}
			chunk.add(id);
			length += more;
		}
		if (!chunk.isEmpty()) {
			builds.addAll(readBuildsById(chunk));
		}
		return builds;
	}

	private List<SourceBuild> readBuildsById(List<Long> ids) {
		String path = buildsById(ids);
		return BuildbotJson.builds(get(path), describe(path));
	}

	/**
	 * Unclaimed, incomplete requests, oldest first by their primary key (so the limit reaches SQL); only the fields
	 * that are read.
	 */
	@Override
	public List<SourceBuildRequest> waitingBuildRequests(int limit) {
		String path = "api/v2/buildrequests?claimed=false&complete=false&order=buildrequestid&limit=" + limit
				+ "&field=buildrequestid&field=builderid&field=submitted_at&field=claimed&field=complete";
		return BuildbotJson.buildRequests(get(path), describe(path));
	}

	/** Repeating buildid__eq is an OR on the primary key. */
	private static String buildsById(List<Long> ids) {
		String filter = ids.stream().map((id) -> "buildid__eq=" + id).collect(Collectors.joining("&"));
		return "api/v2/builds?" + filter + "&limit=" + ids.size() + PROPERTIES;
	}

	@Override
	public List<SourceStep> steps(long buildId) {
		String path = "api/v2/builds/" + buildId
				+ "/steps?field=number&field=name&field=results&field=complete_at&limit=1000";
		return BuildbotJson.steps(get(path), describe(path));
	}

	@Override
	public String buildUrl(long builderId, int number) {
		return this.base + "#/builders/" + builderId + "/builds/" + number;
	}

	/**
	 * The master's WebSocket event stream ({@code /ws}), one per client, sharing this client's connections and
	 * session cookie; empty when {@code fleet-health.buildbot.stream-enabled} is false.
	 */
	@Override
	public synchronized Optional<SourceStream> stream() {
		if (!this.properties.streamEnabled()) {
			return Optional.empty();
		}
		if (this.stream == null) {
			this.stream = new BuildbotStream(this.master.name(), this.base, this.http, this.properties, this.clock,
					hasCredentials() ? this::login : null);
		}
		return Optional.of(this.stream);
	}

	/** JSON-RPC {@code pause} on {@code POST api/v2/workers/{id}}, logged in first where the master needs it. */
	@Override
	public void pause(long workerId, String reason) {
		control(workerId, "pause", reason);
	}

	/** JSON-RPC {@code unpause} on {@code POST api/v2/workers/{id}}. */
	@Override
	public void unpause(long workerId, String reason) {
		control(workerId, "unpause", reason);
	}

	private void control(long workerId, String method, String reason) {
		String path = "api/v2/workers/" + workerId;
		String what = "master '" + this.master.name() + "' (POST " + this.base + path + " " + method + ")";
		String body = BuildbotJson.rpc(method, reason);
		if (hasCredentials() && !this.loggedIn) {
			login();
		}
		HttpResponse<String> response = post(path, body, what);
		if ((response.statusCode() == 401 || response.statusCode() == 403) && hasCredentials()) {
			login();
			response = post(path, body, what);
		}
		if (response.statusCode() == 401 || response.statusCode() == 403) {
			throw new SourceAccessDeniedException(what + " was refused (HTTP " + response.statusCode() + "): "
					+ (hasCredentials() ? "the user '" + this.master.username() + "' may not control workers"
							: "the master needs a login; set fleet-health.masters[N].username and .password"));
		}
		String error = BuildbotJson.rpcError(response.body());
		if (response.statusCode() != 200 || error != null) {
			throw new SourceException(what + " answered HTTP " + response.statusCode()
					+ ((error != null) ? ": " + error : ""));
		}
	}

	private HttpResponse<String> post(String path, String body, String what) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(this.properties.readTimeout())
			.header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.header("User-Agent", this.properties.userAgent())
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		long deadline = System.nanoTime() + this.properties.readTimeout().toNanos();
		try {
			return this.http.send(request, BoundedBody.handler(this.properties.maxResponseSize().toBytes(), deadline));
		}
		catch (IOException ex) {
			throw new SourceException(what + " failed: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : ""), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException(what + " was interrupted", ex);
		}
	}

	/** Closes the stream, if one was made. */
	synchronized void closeStream() {
		if (this.stream != null) {
			this.stream.close();
		}
	}

	private String describe(String path) {
		return "master '" + this.master.name() + "' (GET " + this.base + path.replaceAll("\\?.*", "") + ")";
	}

	private String get(String path) {
		if (hasCredentials() && !this.loggedIn) {
			login();
		}
		HttpResponse<String> response = send(path);
		if ((response.statusCode() == 401 || response.statusCode() == 403) && hasCredentials()) {
			// The session expired: log in again once.
			login();
			response = send(path);
		}
		if (response.statusCode() != 200) {
			throw new SourceException(describe(path) + " answered HTTP " + response.statusCode());
		}
		return response.body();
	}

	private HttpResponse<String> send(String path) {
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve(path))
			.timeout(this.properties.readTimeout())
			.header("Accept", "application/json")
			.header("User-Agent", this.properties.userAgent())
			.GET()
			.build();
		// The read timeout bounds the whole answer, body included.
		long deadline = System.nanoTime() + this.properties.readTimeout().toNanos();
		try {
			return this.http.send(request, BoundedBody.handler(this.properties.maxResponseSize().toBytes(), deadline));
		}
		catch (HttpTimeoutException ex) {
			throw new SourceException(describe(path) + " timed out: " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			if (BoundedBody.isTooLarge(ex)) {
				throw new SourceException(describe(path) + " sent more than " + this.properties.maxResponseSize()
						+ " (fleet-health.buildbot.max-response-size); the answer was dropped", ex);
			}
			throw new SourceException(describe(path) + " failed: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : ""), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException(describe(path) + " was interrupted", ex);
		}
	}

	private boolean hasCredentials() {
		return this.master.username() != null && !this.master.username().isBlank();
	}

	private void login() {
		String credentials = this.master.username() + ":"
				+ ((this.master.password() != null) ? this.master.password() : "");
		HttpRequest request = HttpRequest.newBuilder(this.base.resolve("auth/login"))
			.timeout(this.properties.readTimeout())
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
			.header("User-Agent", this.properties.userAgent())
			.GET()
			.build();
		try {
			HttpResponse<Void> response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() == 401 || response.statusCode() == 403) {
				// Refused credentials: no access, for reading and for controlling workers alike.
				throw new SourceAccessDeniedException("Login to master '" + this.master.name() + "' as '"
						+ this.master.username() + "' was refused: HTTP " + response.statusCode());
			}
			if (response.statusCode() >= 400) {
				throw new SourceException("Login to master '" + this.master.name() + "' as '"
						+ this.master.username() + "' was refused: HTTP " + response.statusCode());
			}
			this.loggedIn = true;
		}
		catch (IOException ex) {
			throw new SourceException("Login to master '" + this.master.name() + "' failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException("Login to master '" + this.master.name() + "' was interrupted", ex);
		}
	}

}
