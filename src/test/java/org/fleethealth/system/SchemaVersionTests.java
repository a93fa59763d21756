package org.fleethealth.system;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An older fleet-health on a database a newer one migrated stops at start, rather than starting and failing every
 * round while its health says UP (a new user's trial of a rollback: states, metrics and alerts froze silently).
 * With the Flyway settings of {@code application.properties}.
 */
class SchemaVersionTests {

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
				.contains("999");
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
