package org.fleethealth.web;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A maintainer's login is kept in the database (Spring Session JDBC): it holds on another instance of the same
 * database, as behind a load balancer, and after the instance that took it restarts. In memory, it was lost with
 * either (a fresh user's trial: "logins do not survive a restart").
 */
class SharedSessionsTests {

	private static final String HASH = new BCryptPasswordEncoder(4).encode("s3cret");

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Test
	void aLoginOnOneInstanceHoldsOnAnotherAndAfterARestart() throws Exception {
		String cookie;
		try (ConfigurableApplicationContext first = start()) {
			int port = port(first);
			assertThat(get(port, "/quarantine", null).statusCode()).as("a maintainers' page asks for a login")
				.isEqualTo(302);
			cookie = logIn(port);
			assertThat(get(port, "/quarantine", cookie).statusCode()).isEqualTo(200);
			assertThat(first.getBean(JdbcTemplate.class)
				.queryForObject("select count(*) from spring_session where principal_name = 'ann'", Integer.class))
				.isEqualTo(1);

			try (ConfigurableApplicationContext second = start()) {
				HttpResponse<String> there = get(port(second), "/quarantine", cookie);
				assertThat(there.statusCode()).as("another instance of the same database").isEqualTo(200);
				assertThat(there.body()).contains("ann");
			}
		}
		try (ConfigurableApplicationContext restarted = start()) {
			assertThat(get(port(restarted), "/quarantine", cookie).statusCode()).as("after a restart").isEqualTo(200);
			// Logging out ends it everywhere.
			HttpResponse<String> page = get(port(restarted), "/quarantine", cookie);
			post(port(restarted), "/logout", cookie, "_csrf=" + csrf(page.body()));
			assertThat(get(port(restarted), "/quarantine", cookie).statusCode()).isEqualTo(302);
		}
	}

	private String logIn(int port) throws Exception {
		HttpResponse<String> form = get(port, "/login", null);
		String session = sessionCookie(form);
		HttpResponse<String> done = post(port, "/login", session, "username=ann&password=s3cret&_csrf="
				+ URLEncoder.encode(csrf(form.body()), StandardCharsets.UTF_8));
		assertThat(done.statusCode()).isEqualTo(302);
		assertThat(done.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
		// A login changes the session's id (session fixation): the new cookie is the one that counts.
		return sessionCookie(done);
	}

	private static String sessionCookie(HttpResponse<?> response) {
		List<String> cookies = response.headers().allValues("Set-Cookie");
		return cookies.stream()
			.filter((c) -> c.startsWith("SESSION="))
			.map((c) -> c.substring(0, c.indexOf(';')))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no SESSION cookie in " + cookies));
	}

	private static String csrf(String html) {
		Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(html);
		assertThat(m.find()).as("a CSRF token in the page").isTrue();
		return m.group(1);
	}

	private HttpResponse<String> get(int port, String path, String cookie) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(int port, String path, String cookie, String form) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(FleetHealthApplication.class).run("--server.port=0",
				"--fleet-health.poll.enabled=false", "--fleet-health.mail.enabled=false",
				"--spring.datasource.url=jdbc:h2:mem:shared-sessions;DB_CLOSE_DELAY=-1",
				"--fleet-health.security.users[0].name=ann", "--fleet-health.security.users[0].password={bcrypt}" + HASH,
				"--fleet-health.security.users[0].roles=MAINTAINER");
	}

}
