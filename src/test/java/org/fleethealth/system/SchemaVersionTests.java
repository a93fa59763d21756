package org.fleethealth.system;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.fleethealth.FleetHealthApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An older fleet-health on a database a newer one migrated stops at start, rather than starting and failing every
 * round while its health says UP (a new user's trial of a rollback: states, metrics and alerts froze silently).
 * With the Flyway settings of {@code application.properties}.
 */
class SchemaVersionTests {

	private static final String BCRYPT = new BCryptPasswordEncoder(4).encode("s3cret");

	private final String url = "jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + this.url, "spring.flyway.ignore-migration-patterns="
				+ applicationProperties().getProperty("spring.flyway.ignore-migration-patterns"));

	@Test
	void aSchemaMigratedByANewerVersionStopsTheStartAndSaysSo() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			// What a newer fleet-health leaves behind: a migration this one does not have.
			new JdbcTemplate(context.getBean(DataSource.class))
				.update("insert into \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\","
						+ " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
						+ " values (999, '999', 'newer', 'SQL', 'V999__newer.sql', 0, 'sa', 0, true)");
		});
		this.runner.run((context) -> {
			assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("999");
			// Spring Boot's report says what happened and what to do, not Flyway's "run repair".
			FailureAnalysis report = new SchemaFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(report.getDescription()).startsWith("The database was migrated by a newer fleet-health")
				.contains("999")
				.as("Flyway's advice to run repair, which the action contradicts")
				.doesNotContain("run repair", "Need more flexibility");
			assertThat(report.getAction()).contains("Migrations only go forward")
				.contains("restore the backup")
				.contains("Do not run Flyway's repair");
		});
	}

	@Test
	void aSchemaOfThisVersionStarts() {
		this.runner.run((context) -> assertThat(context).hasNotFailed());
		this.runner.run((context) -> assertThat(context).hasNotFailed());
	}

	/** A trial restored a backup over a migrated database: the next upgrade stopped with a bare stack trace. */
	@Test
	void aMigrationThatFailsSaysWhatToDo() {
		// A database of a version before quarantine (V30), with a newer version's table left behind.
		this.runner.withPropertyValues("spring.flyway.target=22").run((context) -> assertThat(context).hasNotFailed());
		jdbc().execute("create table quarantine (left_behind int)");
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis report = new SchemaFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(report).as("a report of its own").isNotNull();
			assertThat(report.getDescription()).startsWith("Migrating the database's schema failed:")
				.containsIgnoringCase("quarantine")
				.doesNotContain("-X option");
			assertThat(report.getAction()).contains("Restore the backup into an empty database")
				.contains("Do not run Flyway's repair");
		});
	}

	/**
	 * A database restored by a superuser without {@code --owner}: the old version ran on it, and the next upgrade
	 * stopped on "permission denied" with advice that did not fit (the second upgrade trial).
	 */
	@Test
	void aMigrationTheUserMayNotMakeSaysWhoseTheDatabaseIs() {
		FailureAnalysis report = new SchemaFailureAnalyzer().analyze(new FlywayMigrateException(
				"Failed to execute script V22__build_worker_index.sql\nSQL State  : 42501\n"
						+ "Message    : ERROR: permission denied for schema public\n"
						+ "Statement  : Run Flyway with -X option to see the actual statement causing the problem"));
		assertThat(report.getDescription()).contains("permission denied for schema public").doesNotContain("-X option");
		assertThat(report.getAction()).contains("spring.datasource.username")
			.contains("ALTER DATABASE fleethealth OWNER TO fleethealth")
			.contains("createdb --owner");
	}

	/** Flyway's own migration failure is internal to it: the analyzer knows it by name. */
	static class FlywayMigrateException extends org.flywaydb.core.api.FlywayException {

		FlywayMigrateException(String message) {
			super(message);
		}

	}

	@Test
	void aDatabaseThatIsNotFleetHealthsSaysSo() {
		jdbc().execute("create table someone_elses (id int)");
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis report = new SchemaFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(report.getDescription()).startsWith("The database holds tables but no fleet-health schema history")
				.contains("but no schema history table")
				.as("Flyway's advice, which the action contradicts")
				.doesNotContain("baseline");
			assertThat(report.getAction()).contains("spring.datasource.url").contains("baseline");
		});
	}

	/**
	 * A bad setting stops the start before the schema is migrated: a trial checked a new version's configuration by
	 * starting it once, as "Upgrading" advises, and its start failed on a setting after migrating the database the
	 * old version still ran on.
	 */
	@Test
	void aBadSettingStopsTheStartBeforeTheSchemaIsMigrated() {
		assertThatThrownBy(() -> start("--fleet-health.classification.restart-grace=-PT1M"))
			.hasStackTraceContaining("restart-grace");
		// Settings checked by their records rather than by annotations: users and downtime windows (the second trial).
		assertThatThrownBy(() -> start("--fleet-health.security.users[0].name=x",
				"--fleet-health.security.users[0].password={bcrypt}" + BCRYPT, "--fleet-health.security.users[0].roles=ADMIN"))
			.hasStackTraceContaining("'x' has the role 'ADMIN', which fleet-health does not have");
		assertThatThrownBy(() -> start("--fleet-health.downtime[0].workers=w", "--fleet-health.downtime[0].from=25:00",
				"--fleet-health.downtime[0].to=10:00"))
			.hasStackTraceContaining("'25:00' is not a time of day");
		assertThat(migrations()).as("the schema's migrations after starts stopped by a setting").isZero();
		try (ConfigurableApplicationContext started = start()) {
			assertThat(migrations()).as("the schema's migrations after a start").isPositive();
		}
	}

	/**
	 * Starts the application itself (which bean Spring creates first is what this is about) on this test's
	 * database, its settings as arguments (they win over application.properties).
	 */
	private ConfigurableApplicationContext start(String... more) {
		List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + this.url, "--server.port=0",
				"--fleet-health.poll.enabled=false", "--fleet-health.mail.enabled=false", "--spring.main.banner-mode=off"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(FleetHealthApplication.class).run(args.toArray(String[]::new));
	}

	private JdbcTemplate jdbc() {
		return new JdbcTemplate(new DriverManagerDataSource(this.url, "sa", ""));
	}

	private int migrations() {
		JdbcTemplate jdbc = jdbc();
		Integer tables = jdbc.queryForObject("select count(*) from information_schema.tables"
				+ " where lower(table_name) = 'flyway_schema_history'", Integer.class);
		return (tables == 0) ? 0 : jdbc.queryForObject("select count(*) from \"flyway_schema_history\"", Integer.class);
	}

	private static Properties applicationProperties() {
		Properties properties = new Properties();
		try (InputStream in = new ClassPathResource("application.properties").getInputStream()) {
			properties.load(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return properties;
	}

}
