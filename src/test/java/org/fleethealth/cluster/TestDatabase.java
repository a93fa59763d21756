package org.fleethealth.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh PostgreSQL database of its own for one test class, created on the machine's server
 * ({@code 127.0.0.1:5432}, user {@code postgres}, trust auth; {@code .ci/run} starts it) and dropped after, so
 * runs never collide. A server that cannot be reached fails the test: it is never skipped.
 */
final class TestDatabase implements AutoCloseable {

	static final String HOST = System.getProperty("fleet-health.test.postgres-host", "127.0.0.1");

	static final int PORT = Integer.getInteger("fleet-health.test.postgres-port", 5432);

	static final String USER = "postgres";

	private final String name;

	TestDatabase(String prefix) {
		this.name = "fh_it_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		admin("create database " + this.name);
	}

	String name() {
		return this.name;
	}

	/** The JDBC URL of this database, directly on the server. */
	String url() {
		return url(HOST, PORT);
	}

	/** The JDBC URL of this database through another address (a proxy). */
	String url(String host, int port) {
		return "jdbc:postgresql://" + host + ":" + port + "/" + this.name;
	}

	Connection connect() throws SQLException {
		return DriverManager.getConnection(url(), USER, "");
	}

	/** Rows of a query as column-to-value maps (lower-case column names). */
	List<Map<String, Object>> query(String sql, Object... args) {
		try (Connection c = connect(); var statement = c.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				statement.setObject(i + 1, args[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				List<Map<String, Object>> rows = new ArrayList<>();
				int columns = rs.getMetaData().getColumnCount();
				while (rs.next()) {
					Map<String, Object> row = new LinkedHashMap<>();
					for (int i = 1; i <= columns; i++) {
						row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
					}
					rows.add(row);
				}
				return rows;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	Object single(String sql, Object... args) {
		List<Map<String, Object>> rows = query(sql, args);
		return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
	}

	@Override
	public void close() {
		admin("drop database if exists " + this.name + " with (force)");
	}

	private static void admin(String sql) {
		String url = "jdbc:postgresql://" + HOST + ":" + PORT + "/test";
		try (Connection c = DriverManager.getConnection(url, USER, ""); Statement s = c.createStatement()) {
			s.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + url + " as '" + USER + "' (" + sql + "): "
					+ ex.getMessage() + ". The tests need it running with trust auth; .ci/run starts it.", ex);
		}
	}

}
