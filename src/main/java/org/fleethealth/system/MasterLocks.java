package org.fleethealth.system;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Row locks per master and scope (table {@code master_lock}), so two instances of a cluster never do the same work
 * on a master at once: both may be told of the same change (each hears the master's stream, and the poll jobs run
 * on either), and two that store it together write it twice or clash on a key. Held until the calling transaction
 * ends. Within one instance the lock costs a query; it never waits there longer than the other transaction runs.
 */
@Component
public class MasterLocks {

	/** Classifying the master ({@code health}). */
	public static final String CLASSIFICATION = "classification";

	/** Storing its workers: a workers poll, or what its stream heard ({@code fleet}). */
	public static final String WORKERS = "workers";

	/** Storing its builders and builds ({@code fleet}). */
	public static final String BUILDS = "builds";

	/** Storing what the classification made of its stable builders' builds ({@code gate}). */
	public static final String GATE = "gate";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate separately;

	MasterLocks(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.separately = new TransactionTemplate(transactions);
		this.separately.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Waits for, then takes, the master's lock of that scope in the current transaction.
	 *
	 * @throws IllegalStateException when called outside a transaction
	 */
	public void lock(String scope, String master) {
		if (!tryLock(scope, master)) {
			create(scope, master);
			if (!tryLock(scope, master)) {
				throw new IllegalStateException("No lock row for master '" + master + "' (" + scope + ")");
			}
		}
	}

	private boolean tryLock(String scope, String master) {
		return !this.jdbc.queryForList("select master from master_lock where scope = ? and master = ? for update",
				String.class, scope, master).isEmpty();
	}

	// In a transaction of its own: on PostgreSQL a failed statement would end the caller's transaction.
	private void create(String scope, String master) {
		try {
			this.separately.executeWithoutResult((status) -> this.jdbc
				.update("insert into master_lock (scope, master) values (?, ?)", scope, master));
		}
		catch (DataIntegrityViolationException ex) {
			// Another instance created it first: fine, it is only a row to lock.
		}
	}

}
