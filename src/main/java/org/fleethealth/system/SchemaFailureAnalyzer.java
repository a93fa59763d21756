package org.fleethealth.system;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start stopped by Flyway:
 * <ul>
 * <li>its validation of the database's schema: most often an older fleet-health started on a database a newer one
 * migrated (a rollback without the backup, or an instance left on the old version beside an upgraded one).
 * Flyway's own advice, to run its {@code repair}, would hide what the newer version changed rather than undo it, so
 * it is left out of the report;</li>
 * <li>a migration that failed: most often a database that already holds what the migration creates (a trial restored
 * a backup over a migrated PostgreSQL database, which left a newer version's tables behind, and the next upgrade
 * stopped on "relation already exists" with a bare stack trace);</li>
 * <li>a database that holds tables but no schema history: not fleet-health's.</li>
 * </ul>
 * Other Flyway failures (an unreachable database) keep Spring Boot's report. Registered in
 * {@code META-INF/spring.factories}.
 */
class SchemaFailureAnalyzer extends AbstractFailureAnalyzer<FlywayException> {

	// Flyway's advice at the end of a validation message, which the action below contradicts for good reasons.
	private static final String REPAIR_ADVICE = "(?m)^.*run repair.*$\\R?";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, FlywayException cause) {
		if (cause instanceof FlywayValidateException) {
			return validation(cause);
		}
		if (cause.getClass().getSimpleName().equals("FlywayMigrateException")) {
			return migration(cause);
		}
		if (String.valueOf(cause.getMessage()).contains("but no schema history table")) {
			return notOurs(cause);
		}
		return null;
	}

	private static FailureAnalysis notOurs(FlywayException cause) {
		return new FailureAnalysis("The database holds tables but no fleet-health schema history: it is not"
				+ " fleet-health's database, or its history table was dropped.\n" + cause.getMessage(),
				"Point spring.datasource.url at an empty database (fleet-health creates its schema) or at fleet-health's"
						+ " own. Do not set spring.flyway.baseline-on-migrate: fleet-health's migrations would be"
						+ " skipped and every round would fail on the missing tables.",
				cause);
	}

	private static FailureAnalysis validation(FlywayException cause) {
		String message = String.valueOf(cause.getMessage()).replaceAll(REPAIR_ADVICE, "").strip();
		boolean newer = message.contains("not resolved locally");
		String description = newer
				? "The database was migrated by a newer fleet-health than this one (its schema has migrations this version"
						+ " does not know):\n" + message
				: "The database's schema does not match this fleet-health's migrations:\n" + message;
		String action = newer
				? "Migrations only go forward. Run the newer version again, or stop every instance and restore the backup"
						+ " taken before the upgrade (README.md, 'Upgrading'). Do not run Flyway's repair: it would not undo"
						+ " what the newer version changed."
				: "Run the version that migrated this database, or restore a backup (README.md, 'Upgrading').";
		return new FailureAnalysis(description, action, cause);
	}

	private static FailureAnalysis migration(FlywayException cause) {
		String description = "Migrating the database's schema failed:\n" + String.valueOf(cause.getMessage()).strip();
		String action = "Most often the database already holds what the migration creates: a backup restored over a"
				+ " database a newer version had migrated leaves that version's tables behind. Restore the backup into an"
				+ " empty database (README.md, 'Upgrading': on PostgreSQL dropdb, createdb, then pg_restore), then start"
				+ " this version again. Do not run Flyway's repair: it marks the migration done without doing it.";
		return new FailureAnalysis(description, action, cause);
	}

}
