package org.fleethealth.health;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One row lock per master (table {@code classification_lock}), so two instances of a cluster never classify the
 * same master at once: both poll jobs trigger classification, and in a cluster they may run on different
 * instances. Held until the calling transaction ends.
 */
@Component
class ClassificationLocks {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate separately;

	ClassificationLocks(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.separately = new TransactionTemplate(transactions);
		this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Waits for, then takes, the master's lock in the current transaction.
	 *
	 * @throws IllegalStateException when called outside a transaction
	 */
	void lock(String master) {
		if (!tryLock(master)) {
			create(master);
			if (!tryLock(master)) {
				throw new IllegalStateException("No lock row for master '" + master + "'");
			}
		}
	}

	private boolean tryLock(String master) {
		return !this.jdbc.queryForList("select master from classification_lock where master = ? for update",
				String.class, master).isEmpty();
	}

	// In a transaction of its own: on PostgreSQL a failed statement would end the caller's transaction.
	private void create(String master) {
		try {
			this.separately.executeWithoutResult(
					(status) -> this.jdbc.update("insert into classification_lock (master) values (?)", master));
		}
		catch (DataIntegrityViolationException ex) {
			// Another instance created it first: fine, it is only a row to lock.
		}
	}

}
