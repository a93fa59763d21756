package org.fleethealth.system;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Checks every {@code fleet-health.*} setting before Flyway migrates the schema. The settings are checked as they are
 * bound ({@link PositiveDuration}, the records' own checks), which Spring does when a bean first needs them, after
 * the migration. So a start that failed on a setting had migrated the database already: an operator who checked a
 * new version's configuration by starting it once, as "Upgrading" advises, and went back to the old version to
 * fix the setting, ran the old version on a migrated schema (a trial: V32 had dropped a table the old version reads
 * in every round). Binding them first makes a bad setting stop the start with the database untouched.
 */
@Configuration(proxyBeanMethods = false)
class SettingsBeforeSchema {

	private static final Log logger = LogFactory.getLog(SettingsBeforeSchema.class);

	private static final String OURS = "org.fleethealth.";

	@Bean
	FlywayMigrationStrategy settingsCheckedFirst(ListableBeanFactory beans) {
		return (flyway) -> {
			int checked = bindAll(beans);
			logger.debug(checked + " groups of fleet-health settings are valid; migrating the schema");
			flyway.migrate();
		};
	}

	/**
	 * Binds (and so checks) every fleet-health settings bean.
	 *
	 * @return how many were bound
	 * @throws org.springframework.beans.factory.BeanCreationException a setting's failure, which the failure
	 * analyzers report as for any start
	 */
	static int bindAll(ListableBeanFactory beans) {
		int bound = 0;
		for (String name : beans.getBeanNamesForAnnotation(ConfigurationProperties.class)) {
			Class<?> type = beans.getType(name, false);
			if (type != null && type.getName().startsWith(OURS)) {
				beans.getBean(name);
				bound++;
			}
		}
		return bound;
	}

}
