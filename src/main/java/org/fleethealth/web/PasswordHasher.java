package org.fleethealth.web;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Prints the bcrypt hash of a password for {@code fleet-health.security.users[N].password}. Reads the
 * password from the terminal without echo (or from standard input), never from the command line, where it
 * would land in the shell history and the process list.
 */
public final class PasswordHasher {

	private PasswordHasher() {
	}

	public static void main(String[] args) throws IOException {
		String password = read();
		if (password == null || password.isEmpty()) {
			System.err.println("No password given.");
			System.exit(1);
		}
		System.out.println("{bcrypt}" + new BCryptPasswordEncoder(12).encode(password));
	}

	private static String read() throws IOException {
		Console console = System.console();
		if (console != null) {
			char[] typed = console.readPassword("Password: ");
			return (typed != null) ? new String(typed) : null;
		}
		return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
	}

}
