package org.fleethealth.gate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fleethealth.health.JudgedBuild;
import org.fleethealth.health.Outcome;
import org.fleethealth.system.MasterLocks;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the classification made of the stable builders' failed builds, kept in the database
 * ({@code gate_judgement}): the instance that classified writes them, and every instance evaluates the gate from
 * them, so that all answer the same gate. A write changes only the rows that changed.
 */
@Component
class GateJudgements {

	static final int WORKER_LENGTH = 200;

	static final int REASON_LENGTH = 2000;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final MasterLocks locks;

	GateJudgements(JdbcTemplate jdbc, TransactionTemplate transactions, MasterLocks locks) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.locks = locks;
	}

	/** The stored judgements of a master's builds, by build id. */
	Map<Long, JudgedBuild> load(String master) {
		Map<Long, JudgedBuild> judged = new HashMap<>();
		this.jdbc.query("select build_id, worker, outcome, reason from gate_judgement where master = ?", (rs) -> {
			Outcome outcome = outcome(rs.getString(3));
			if (outcome != null) {
				long id = rs.getLong(1);
				judged.put(id, new JudgedBuild(id, rs.getString(2), outcome, rs.getString(4)));
			}
		}, master);
		return judged;
	}

	/**
	 * Replaces the stored judgements of a master with these (cut to their columns), writing only the difference;
	 * returns them as stored.
	 */
	Map<Long, JudgedBuild> store(String master, Map<Long, JudgedBuild> judgements) {
		Map<Long, JudgedBuild> wanted = new HashMap<>();
		judgements.forEach((id, j) -> wanted.put(id, new JudgedBuild(id, cut(j.worker(), WORKER_LENGTH), j.outcome(),
				cut(j.reason(), REASON_LENGTH))));
		this.transactions.executeWithoutResult((status) -> {
			// Instances of a cluster that classified the master one after the other may store at once: one at a
			// time, each writing the difference from what the other stored (both inserted the same rows).
			this.locks.lock(MasterLocks.GATE, master);
			Map<Long, JudgedBuild> stored = load(master);
			List<Object[]> deleted = new ArrayList<>();
			stored.keySet().stream().filter((id) -> !wanted.containsKey(id)).forEach((id) -> deleted.add(
					new Object[] { master, id }));
			List<Object[]> inserted = new ArrayList<>();
			List<Object[]> updated = new ArrayList<>();
			wanted.forEach((id, j) -> {
				JudgedBuild before = stored.get(id);
				if (before == null) {
					inserted.add(new Object[] { master, id, j.worker(), j.outcome().name(), j.reason() });
				}
				else if (!Objects.equals(before, j)) {
					updated.add(new Object[] { j.worker(), j.outcome().name(), j.reason(), master, id });
				}
			});
			if (!deleted.isEmpty()) {
				this.jdbc.batchUpdate("delete from gate_judgement where master = ? and build_id = ?", deleted);
			}
			if (!updated.isEmpty()) {
				this.jdbc.batchUpdate(
						"update gate_judgement set worker = ?, outcome = ?, reason = ? where master = ? and build_id = ?",
						updated);
			}
			if (!inserted.isEmpty()) {
				this.jdbc.batchUpdate(
						"insert into gate_judgement (master, build_id, worker, outcome, reason) values (?, ?, ?, ?, ?)",
						inserted);
			}
		});
		return wanted;
	}

	private static Outcome outcome(String name) {
		for (Outcome o : Outcome.values()) {
			if (o.name().equals(name)) {
				return o;
			}
		}
		return null;
	}

	private static String cut(String s, int length) {
		return (s != null && s.length() > length) ? s.substring(0, length) : s;
	}

}
