package org.fleethealth.system;

import org.flywaydb.core.api.exception.FlywayValidateException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start stopped by Flyway's validation of the database's schema: most often an older fleet-health started
 * on a database a newer one migrated (a rollback without the backup, or an instance left on the old version beside
 * an upgraded one). Flyway's own advice, to run its {@code repair}, would hide what the newer version changed rather
 * than undo it. Registered in {@code META-INF/spring.factories}.
 */
class SchemaFailureAnalyzer extends AbstractFailureAnalyzer<FlywayValidateException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, FlywayValidateException cause) {
		boolean newer = String.valueOf(cause.getMessage()).contains("not resolved locally");
		String description = newer
				? "The database was migrated by a newer fleet-health than this one (its schema has migrations this version"
						+ " does not know):\n" + cause.getMessage()
				: "The database's schema does not match this fleet-health's migrations:\n" + cause.getMessage();
		String action = newer
				? "Migrations only go forward. Run the newer version again, or stop every instance and restore the backup"
						+ " taken before the upgrade (README.md, 'Upgrading'). Do not run Flyway's repair: it would not undo"
						+ " what the newer version changed."
				: "Run the version that migrated this database, or restore a backup (README.md, 'Upgrading').";
		return new FailureAnalysis(description, action, cause);
	}

}
