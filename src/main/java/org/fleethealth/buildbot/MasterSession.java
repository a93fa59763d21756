package org.fleethealth.buildbot;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.SourceAccessDeniedException;
import org.fleethealth.source.SourceException;

/**
 * The HTTP side of one master: its connections and the session cookie Buildbot hands out on {@code /auth/login},
 * shared by the data API reads, worker control and the event stream. Every request has the read timeout and a
 * bounded answer, and is sent logged in where the master has credentials, logging in again once when the session
 * expired.
 */
final class MasterSession {

	private final FleetProperties.Master master;

	private final URI base;

	private final BuildbotProperties properties;

	private final HttpClient http;

	private volatile boolean loggedIn;

	MasterSession(FleetProperties.Master master, BuildbotProperties properties) {
		this.master = master;
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

	FleetProperties.Master master() {
		return this.master;
	}

	/** The master's URL with a trailing slash, so that API paths resolve below it. */
	URI base() {
		return this.base;
	}

	HttpClient http() {
		return this.http;
	}

	String describe(String path) {
		return "master '" + this.master.name() + "' (GET " + this.base + path.replaceAll("\\?.*", "") + ")";
	}

	/** The body of a {@code GET} of {@code path} (relative to the base); anything but HTTP 200 fails. */
	String get(String path) {
		HttpResponse<String> response = withLogin(() -> send(path));
		if (response.statusCode() != 200) {
			throw new SourceException(describe(path) + " answered HTTP " + response.statusCode());
		}
		return response.body();
	}

	/**
	 * A {@code POST} of a JSON body to {@code path}, whatever the master answered.
	 *
	 * @param what the call, as exception messages name it
	 */
	HttpResponse<String> post(String path, String body, String what) {
		return withLogin(() -> sendPost(path, body, what));
	}

	private HttpResponse<String> withLogin(Supplier<HttpResponse<String>> request) {
		if (hasCredentials() && !this.loggedIn) {
			login();
		}
		HttpResponse<String> response = request.get();
		if ((response.statusCode() == 401 || response.statusCode() == 403) && hasCredentials()) {
			// The session expired: log in again once.
			login();
			response = request.get();
		}
		return response;
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
			throw new SourceException(describe(path) + " failed: " + Failures.describe(ex), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException(describe(path) + " was interrupted", ex);
		}
	}

	private HttpResponse<String> sendPost(String path, String body, String what) {
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
			throw new SourceException(what + " failed: " + Failures.describe(ex), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException(what + " was interrupted", ex);
		}
	}

	boolean hasCredentials() {
		return this.master.username() != null && !this.master.username().isBlank();
	}

	void login() {
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
			throw new SourceException("Login to master '" + this.master.name() + "' failed: " + Failures.describe(ex),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException("Login to master '" + this.master.name() + "' was interrupted", ex);
		}
	}

}
