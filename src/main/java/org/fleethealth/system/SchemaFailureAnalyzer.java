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

	// Flyway's own advice inside its messages, which the actions below contradict or an operator cannot follow: run
	// repair, baseline, "-X" (Flyway's command line), and a link to a paid product's validation rules. Lines of their
	// own, but for the baseline sentence.
	private static final String FLYWAY_ADVICE_LINES = "(?m)^.*(run repair|-X option|Need more flexibility).*$\\R?";

	private static final String FLYWAY_BASELINE_ADVICE = "\\s*Use baseline\\(\\) or set baselineOnMigrate[^.]*\\.";

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
				+ " fleet-health's database, or its history table was dropped.\n" + message(cause),
				"Point spring.datasource.url at an empty database (fleet-health creates its schema) or at fleet-health's"
						+ " own. Do not set spring.flyway.baseline-on-migrate: fleet-health's migrations would be"
						+ " skipped and every round would fail on the missing tables.",
				cause);
	}

	private static FailureAnalysis validation(FlywayException cause) {
		String message = message(cause);
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

	/** Flyway's message without its own advice. */
	static String message(FlywayException cause) {
		return String.valueOf(cause.getMessage())
			.replaceAll(FLYWAY_ADVICE_LINES, "")
			.replaceAll(FLYWAY_BASELINE_ADVICE, "")
			.strip();
	}

	private static FailureAnalysis migration(FlywayException cause) {
		String description = "Migrating the database's schema failed:\n" + message(cause);
		if (description.contains("permission denied")) {
			return new FailureAnalysis(description, "The user fleet-health logs in as (spring.datasource.username) may"
					+ " not change the schema: the database or its schema public is another user's (created by a"
					+ " superuser without --owner). Make it that user's: ALTER DATABASE fleethealth OWNER TO fleethealth;"
					+ " then, connected to it, ALTER SCHEMA public OWNER TO fleethealth; or restore the backup into a"
					+ " database created with createdb --owner (README.md, 'Upgrading').", cause);
		}
		String action = "Most often the database already holds what the migration creates: a backup restored over a"
				+ " database a newer version had migrated leaves that version's tables behind. Restore the backup into an"
				+ " empty database (README.md, 'Upgrading': on PostgreSQL dropdb, createdb, then pg_restore), then start"
				+ " this version again. Do not run Flyway's repair: it marks the migration done without doing it.";
		return new FailureAnalysis(description, action, cause);
	}

}
