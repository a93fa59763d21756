package org.fleethealth.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;

import javax.sql.DataSource;

import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.quartz.autoconfigure.QuartzProperties;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Clustered mode: Quartz keeps jobs and triggers in PostgreSQL (tables created by Flyway, never dropped) and
 * the instances share the work through Quartz's own cluster locking, not a home-made one.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fleet-health.cluster.enabled", havingValue = "true")
class ClusterConfiguration {

	@Bean
	SchedulerFactoryBeanCustomizer clusteredJobStore(DataSource dataSource, PlatformTransactionManager transactions,
			QuartzProperties quartz, ClusterProperties cluster) {
		requirePostgres(dataSource);
		return (factory) -> {
			// With a DataSource the factory uses Spring's LocalDataSourceJobStore inside our transactions.
			factory.setDataSource(dataSource);
			factory.setTransactionManager(transactions);
			// Stored schedules are replaced only where the configuration changed (StoredSchedules).
			factory.setOverwriteExistingJobs(false);
			Properties properties = new Properties();
			properties.putAll(quartz.getProperties());
			// Not Quartz's AUTO (host name and start millisecond): two instances started together took one name.
			properties.put("org.quartz.scheduler.instanceId", InstanceIds.forThisProcess());
			properties.put("org.quartz.jobStore.isClustered", "true");
			properties.put("org.quartz.jobStore.clusterCheckinInterval",
					String.valueOf(cluster.checkinInterval().toMillis()));
			properties.put("org.quartz.jobStore.driverDelegateClass",
					"org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
			// Take the trigger lock while acquiring, so two nodes never fire the same trigger.
			properties.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
			properties.put("org.quartz.jobStore.misfireThreshold", "60000");
			factory.setQuartzProperties(properties);
		};
	}

	@Bean
	StoredSchedules storedSchedules(Scheduler scheduler, ObjectProvider<JobDetail> jobs,
			ObjectProvider<Trigger> triggers, PlatformTransactionManager transactions, Clock clock) {
		return new StoredSchedules(scheduler, jobs.orderedStream().toList(), triggers.orderedStream().toList(),
				transactions, clock);
	}

	private static void requirePostgres(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			String product = connection.getMetaData().getDatabaseProductName();
			if (!"PostgreSQL".equalsIgnoreCase(product)) {
				throw new IllegalStateException("fleet-health.cluster.enabled=true needs PostgreSQL, but the database is "
						+ product + ". Run several instances with the 'postgres' profile, or set it to false.");
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot check the database for clustered mode: " + ex.getMessage(), ex);
		}
	}

}
