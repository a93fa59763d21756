package org.fleethealth.gate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ReleaseGateBranchesScenario} on PostgreSQL (127.0.0.1:5432, user {@code postgres}, trust auth, as the
 * cluster tests use it): the {@code gate_judgement} migration and the judgements written by the instance that
 * classified and read by one that did not, on a fresh database of its own, dropped after.
 */
@SpringBootTest(properties = { "fleet-health.poll.enabled=false", "spring.datasource.username=postgres",
		"spring.datasource.password=" })
@Import(ReleaseGateBranchesScenario.Config.class)
@DirtiesContext
class ReleaseGateBranchesPostgresIT extends ReleaseGateBranchesScenario {

	static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

	static final String DATABASE = "fh_it_gate_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		admin("create database " + DATABASE);
		registry.add("spring.datasource.url", () -> SERVER + DATABASE);
	}

	@AfterAll
	static void dropDatabase() {
		admin("drop database if exists " + DATABASE + " with (force)");
	}

	private static void admin(String sql) {
		try (Connection c = DriverManager.getConnection(SERVER + "test", "postgres", "");
				Statement s = c.createStatement()) {
			s.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + SERVER + " (" + sql + "): " + ex.getMessage(), ex);
		}
	}

}
