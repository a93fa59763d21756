package org.fleethealth.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A maintainer's path through the pages in a real browser (Debian's chromium, driven by Debian's
 * chromedriver through Selenium) against the service watching a real Buildbot fleet: log in, find the broken
 * workers from the front page, filter, open one, read the build classes and the release gate, re-evaluate the
 * gate through its form, log out. Each page is saved as a PNG under {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserIT {

	private static final Path DIR = Path.of("target/e2e-browser").toAbsolutePath();

	private static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();

	private static final Map<String, String> EXPECTED = Map.of("alice-debian", "healthy", "bob-freebsd", "flaky-host",
			"carol-arm64", "failing-build", "dave-macos", "offline");

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private final String password = randomPassword();

	private Lab lab;

	private ConfigurableApplicationContext service;

	private String base;

	private WebDriver browser;

	private WebDriverWait wait;

	@BeforeAll
	void start() throws IOException {
		FileSystemUtils.deleteRecursively(DIR);
		FileSystemUtils.deleteRecursively(SCREENSHOTS);
		Files.createDirectories(DIR);
		Files.createDirectories(SCREENSHOTS);
		this.lab = new Lab(DIR.resolve("lab"));
		this.lab.up();
		this.lab.run("fault", "bob-freebsd", "fail-checkout", "on");
		this.lab.run("fault", "carol-arm64", "fail-test", "on");
		for (int i = 1; i <= 3; i++) {
			this.lab.run("commit", "change " + i);
		}
		this.lab.run("wait-idle");
		String hash = new BCryptPasswordEncoder(4).encode(this.password);
		this.service = new SpringApplicationBuilder(FleetHealthApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:browser-it", "--fleet-health.masters[0].name=lab",
				"--fleet-health.masters[0].url=" + this.lab.url(), "--fleet-health.poll.workers-interval=PT1S",
				"--fleet-health.poll.builds-interval=PT1S",
				"--fleet-health.poll.stream-builds-interval=PT1S", "--fleet-health.poll.backoff-max=PT2S",
				"--fleet-health.classification.stale-after=PT5S", "--fleet-health.classification.offline-after=PT20S",
				"--fleet-health.classification.min-builds=3", "--fleet-health.pruning.hide-builders-after=PT5S",
				"--fleet-health.quarantine.after=PT5S",
				"--fleet-health.owners[dave-macos]=Dave Dunn <dave@example.org>",
				"--fleet-health.security.users[0].name=maintainer",
				"--fleet-health.security.users[0].password={bcrypt}" + hash,
				"--fleet-health.security.users[0].roles=MAINTAINER");
		this.base = "http://127.0.0.1:" + this.service.getEnvironment().getProperty("local.server.port");
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> assertThat(states()).isEqualTo(EXPECTED));
		this.browser = chromium();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
	}

	/**
	 * Debian's chromium and chromedriver, both named explicitly: Selenium Manager would otherwise try to
	 * download a browser and a driver, which fails without internet.
	 */
	private static WebDriver chromium() throws IOException {
		File driver = new File("/usr/bin/chromedriver");
		File binary = new File("/usr/bin/chromium");
		if (!driver.canExecute() || !binary.canExecute()) {
			throw new IllegalStateException("Needs Debian's chromium and chromium-driver: "
					+ "apt-get install -y chromium chromium-driver (.ci/run installs them)");
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(binary);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1360,900", "--hide-scrollbars",
				"--user-data-dir=" + Files.createTempDirectory(DIR, "chromium-profile").toAbsolutePath());
		return new ChromeDriver(service, options);
	}

	@AfterAll
	void stop() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.service != null) {
			this.service.close();
		}
		if (this.lab != null) {
			this.lab.close();
		}
	}

	@Test
	@Order(1)
	void aMaintainerLogsIn() {
		this.browser.get(this.base + "/");
		this.browser.findElement(By.linkText("Log in")).click();
		this.wait.until(ExpectedConditions.titleContains("Log in"));
		screenshot("01-login");
		this.browser.findElement(By.id("username")).sendKeys("maintainer");
		this.browser.findElement(By.id("password")).sendKeys("not the password");
		this.browser.findElement(By.cssSelector("form.stacked button")).click();
		this.wait.until(ExpectedConditions.urlContains("/login?error"));
		assertThat(text(".alert-bad")).contains("do not match");
		this.browser.findElement(By.id("username")).sendKeys("maintainer");
		this.browser.findElement(By.id("password")).sendKeys(this.password);
		this.browser.findElement(By.cssSelector("form.stacked button")).click();
		this.wait.until(ExpectedConditions.titleContains("Fleet overview"));
		assertThat(text(".who .user")).isEqualTo("maintainer");
	}

	@Test
	@Order(2)
	void theOverviewShowsTheBrokenWorkersAndFilters() {
		assertThat(text(".master-head")).contains("lab", "up");
		assertThat(workerNames()).containsExactly("dave-macos", "bob-freebsd", "carol-arm64");
		assertThat(text("table.workers")).contains("has never connected", "were host failures",
				"Bob Builder");
		// Human times with the ISO instant in the tooltip.
		WebElement since = this.browser.findElement(By.cssSelector("table.workers time"));
		assertThat(since.getText()).matches("(just now|\\d+[smhd].* ago)");
		assertThat(since.getAttribute("title")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		screenshot("02-overview");

		new Select(this.browser.findElement(By.name("state"))).selectByValue("flaky-host");
		this.browser.findElement(By.cssSelector("form.filters button")).click();
		this.wait.until(ExpectedConditions.urlContains("state=flaky-host"));
		assertThat(workerNames()).containsExactly("bob-freebsd");
		screenshot("03-overview-flaky-host");

		this.browser.findElement(By.linkText("Clear filters")).click();
		this.wait.until(ExpectedConditions.titleContains("Fleet overview"));
		this.browser.findElement(By.cssSelector("a.count-healthy")).click();
		this.wait.until(ExpectedConditions.urlContains("state=healthy"));
		assertThat(workerNames()).containsExactly("alice-debian");
	}

	@Test
	@Order(3)
	void aWorkerPageShowsEvidenceAndLinksToBuildbot() {
		this.browser.get(this.base + "/?sort=worker");
		assertThat(workerNames()).containsExactly("bob-freebsd", "carol-arm64", "dave-macos");
		this.browser.findElement(By.linkText("carol-arm64")).click();
		this.wait.until(ExpectedConditions.titleContains("carol-arm64"));
		assertThat(text(".evidence-list")).contains("failed its last 3 builds in step 'test'");
		List<WebElement> builds = this.browser.findElements(By.cssSelector("table.builds tbody a"));
		assertThat(builds).isNotEmpty();
		assertThat(builds.get(0).getAttribute("href")).startsWith(this.lab.url() + "#/builders/");
		assertThat(text("table.builds")).contains("failure", "test");
		screenshot("04-worker");
	}

	@Test
	@Order(4)
	void theClassesPageShowsCoverage() {
		this.browser.findElement(By.linkText("Classes")).click();
		this.wait.until(ExpectedConditions.titleContains("Build classes"));
		assertThat(text("table.matrix")).contains("gcc", "clang", "shared", "x86-64", "1/4 healthy")
			.doesNotContain("stable");
		assertThat(text(".alert-good")).contains("Every build class has a healthy worker");
		screenshot("05-classes");
	}

	@Test
	@Order(5)
	void theReleaseGateIsNoGoAndAMaintainerReevaluatesIt() {
		this.browser.findElement(By.linkText("Release gate")).click();
		this.wait.until(ExpectedConditions.titleContains("Release gate"));
		assertThat(text(".verdict-word")).isEqualTo("NO-GO");
		// carol's test step fails: the build's (a failing streak); dave never ran. bob's host cannot check out: his
		// host's failure, a concern that names it and says what to do, never a blocker.
		assertThat(text("#branch-lab-main table.blockers")).contains("gcc carol-arm64", "gcc dave-macos",
				"failed in step 'test'", "code", "it has never finished a build", "no-worker")
			.doesNotContain("gcc bob-freebsd");
		assertThat(text("#branch-lab-main table.concerns")).contains("gcc bob-freebsd", "host",
				"which the classifier counts against that host", "What to do: fix the host bob-freebsd (flaky-host)");
		assertThat(this.browser.findElements(By.cssSelector("form[action$='/release-gate/refresh'] input[name='_csrf']")))
			.as("the form carries its CSRF token")
			.hasSize(1);
		screenshot("06-release-gate");

		this.browser.findElement(By.cssSelector("button.refresh")).click();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
		assertThat(this.browser.getCurrentUrl()).endsWith("/release-gate?master=lab");
		assertThat(text(".flash")).startsWith("maintainer re-evaluated the release gate of 'lab': no-go")
			.contains("2 blocking");
		screenshot("07-release-gate-refreshed");
	}

	@Test
	@Order(6)
	void aMaintainerApprovesARemovalProposal() throws Exception {
		// dave never connected: after hide-builders-after there is a proposal to hide his builders.
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(get("/api/pruning/proposals?status=proposed").body()).contains("dave-macos"));
		this.browser.findElement(By.linkText("Pruning")).click();
		this.wait.until(ExpectedConditions.titleContains("Pruning"));
		assertThat(text("table.proposals")).contains("dave-macos", "hide-builders", "has never connected", "Dave Dunn",
				"none yet");
		assertThat(this.browser.findElements(By.cssSelector("table.proposals form input[name='_csrf']"))).isNotEmpty();
		screenshot("10-pruning");

		this.browser.findElement(By.cssSelector("table.proposals button[id^='approve-']")).click();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
		assertThat(text(".flash")).contains("hide-builders dave-macos on lab) approved");
		assertThat(text("table.approved")).contains("dave-macos", "hide-builders", "gcc dave-macos", "maintainer");
		assertThat(get("/api/pruning/export?format=text").body()).contains("[lab] hide the builders of dave-macos",
				"builder: clang dave-macos", "approved by maintainer");
		screenshot("11-pruning-approved");

		// The worker page shows it too.
		this.browser.findElement(By.cssSelector("table.approved a")).click();
		this.wait.until(ExpectedConditions.titleContains("dave-macos"));
		assertThat(text("table.proposals")).contains("hide-builders", "approved", "by maintainer");
	}

	@Test
	@Order(6)
	void theSafetyValveRefusesAQuarantineAMaintainerApproves() {
		// bob's checkouts fail: flaky-host, and a quarantine proposal. He serves his stable builder alone.
		this.browser.findElement(By.linkText("Quarantine")).click();
		this.wait.until(ExpectedConditions.titleContains("Quarantine"));
		await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
			this.browser.navigate().refresh();
			assertThat(text("table.quarantine-proposals")).contains("bob-freebsd");
		});
		assertThat(text("table.quarantine-proposals")).contains("Bob Builder", "gcc bob-freebsd: nobody else",
				"infrastructure step 'git'");
		assertThat(this.browser.findElements(By.cssSelector("table.quarantine-proposals form input[name='_csrf']")))
			.isNotEmpty();
		screenshot("12-quarantine");

		this.browser.findElement(By.cssSelector("table.quarantine-proposals button[id^='approve-']")).click();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")));
		assertThat(text(".flash")).contains("bob-freebsd on lab) is refused: refused by the safety valve"
				+ " (stable-builder): the stable builder 'gcc bob-freebsd' would have no connected, unpaused worker left");
		assertThat(text("table.closed")).contains("bob-freebsd", "refused (stable-builder)", "maintainer");
		screenshot("13-quarantine-refused");
	}

	@Test
	@Order(7)
	void writesNeedAMaintainerAndTheirToken() throws Exception {
		// Anonymous, outside the browser: the API asks for credentials, a form post without token is refused.
		assertThat(post("/api/release-gate/refresh?master=lab").statusCode()).isEqualTo(401);
		assertThat(post("/release-gate/refresh?master=lab").statusCode()).isEqualTo(403);
		HttpResponse<String> basic = this.http.send(HttpRequest.newBuilder(URI.create(this.base + "/api/release-gate/refresh?master=lab"))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("maintainer:" + this.password).getBytes()))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(basic.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(basic.body()).path("verdict").asString()).isEqualTo("no-go");
		// Actuator: health and the scrape are public, nothing else is exposed.
		assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/prometheus").body()).contains("fleet_release_gate{master=\"lab\"} 0",
				"fleet_release_gate{branch=\"main\",master=\"lab\"} 0");
		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
	}

	@Test
	@Order(8)
	void aClassWithoutAHealthyWorkerStandsOut() {
		this.lab.run("stop-worker", "alice-debian");
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(states()).containsEntry("alice-debian", "offline"));
		this.browser.get(this.base + "/classes");
		assertThat(text(".alert-bad")).contains("4 build classes have no healthy worker", "clang", "gcc");
		assertThat(this.browser.findElements(By.cssSelector("tr.uncovered"))).hasSize(4);
		screenshot("08-classes-uncovered");
	}

	@Test
	@Order(9)
	void aMaintainerLogsOut() {
		this.browser.findElement(By.cssSelector(".who button")).click();
		this.wait.until(ExpectedConditions.urlContains("/login?logout"));
		assertThat(text(".alert-good")).contains("logged out");
		this.browser.get(this.base + "/release-gate");
		assertThat(this.browser.findElements(By.cssSelector("button.refresh"))).isEmpty();
		assertThat(this.browser.findElement(By.linkText("Log in to re-evaluate")).isDisplayed()).isTrue();
		this.browser.get(this.base + "/workers/lab/nobody");
		assertThat(text(".error-page")).contains("404", "No worker 'nobody' on master 'lab'");
		screenshot("09-not-found");
	}

	private List<String> workerNames() {
		return this.browser.findElements(By.cssSelector("table.workers a.worker-link")).stream().map(WebElement::getText).toList();
	}

	private String text(String css) {
		return this.browser.findElement(By.cssSelector(css)).getText();
	}

	/** Saves the whole page: the window is stretched to the page's height first. */
	private void screenshot(String name) {
		Object height = ((JavascriptExecutor) this.browser)
			.executeScript("return document.documentElement.scrollHeight");
		Dimension before = this.browser.manage().window().getSize();
		this.browser.manage().window().setSize(new Dimension(before.getWidth(), Math.max(900, ((Number) height).intValue() + 140)));
		try {
			File shot = ((org.openqa.selenium.TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE);
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			this.browser.manage().window().setSize(before);
		}
	}

	private Map<String, String> states() {
		Map<String, String> states = new HashMap<>();
		this.json.readTree(get("/api/workers").body())
			.forEach((w) -> states.put(w.path("name").asString(), w.path("state").asString()));
		return states;
	}

	private HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).build());
	}

	private HttpResponse<String> post(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path)).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String randomPassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
