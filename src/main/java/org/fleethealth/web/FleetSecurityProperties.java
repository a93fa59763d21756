package org.fleethealth.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.fleethealth.system.InvalidSettingException;
import org.fleethealth.system.PositiveDuration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may see and change what.
 *
 * @param publicRead whether pages and {@code GET} APIs are open to everyone, as Buildbot waterfalls are; when
 * {@code false} every page and API needs a login (the Prometheus scrape and the health check stay open)
 * @param users the people who can log in ({@code fleet-health.security.users[N].name/password/roles})
 * @param login how many failed logins are allowed before more are refused for a while
 */
@Validated
@ConfigurationProperties("fleet-health.security")
public record FleetSecurityProperties(@DefaultValue("true") boolean publicRead, @Valid List<User> users,
		@Valid @DefaultValue Login login) {

	public FleetSecurityProperties {
		users = (users != null) ? List.copyOf(users) : List.of();
	}

	/**
	 * Failed logins (the form and HTTP Basic alike) allowed within a window; past either limit, logins from
	 * that client, or for that user name, are refused with 429 without checking a password until the window
	 * ends. Each check costs a bcrypt hash, about a quarter of a CPU second at strength 12.
	 *
	 * @param maxFailuresPerClient failed logins from one client address within the window
	 * @param maxFailuresPerUser failed logins for one user name within the window, from anywhere
	 * @param window how long failures count, from the first one; then the count starts again
	 */
	public record Login(@DefaultValue("10") @Min(1) int maxFailuresPerClient,
			@DefaultValue("10") @Min(1) int maxFailuresPerUser,
			@DefaultValue("PT15M") @NotNull @PositiveDuration Duration window) {
	}

	/**
	 * One user.
	 *
	 * @param name the login name
	 * @param password a bcrypt hash, {@code {bcrypt}$2a$10$...} or as {@code htpasswd -bnBC 10} prints it
	 * ({@code $2y$10$...}); never the password itself
	 * @param roles {@code MAINTAINER} for those who may change things; without roles a user may only read
	 * (which matters when {@code public-read} is off)
	 */
	public record User(@NotBlank String name, @NotBlank String password, List<String> roles) {

		private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}$");

		/**
		 * Checked as it is bound, so that a user who cannot be one stops the start before the schema is migrated
		 * (a trial's configuration check by hand migrated the database, then stopped on a role).
		 *
		 * @throws InvalidSettingException for a password that is not a bcrypt hash, or a role fleet-health does not
		 * have
		 */
		public User {
			roles = (roles != null) ? List.copyOf(roles) : List.of();
			// Both are said at once: a start that stops on the password and then, once it is fixed, on the role
			// costs an operator a second round.
			List<String> problems = new ArrayList<>();
			if (name != null && password != null && !password.isBlank()) {
				problem(problems, () -> bcrypt(name, password));
			}
			List<String> bound = roles;
			problem(problems, () -> checkedRoles(name, bound));
			if (!problems.isEmpty()) {
				throw new InvalidSettingException(String.join("\n", problems));
			}
		}

		private static void problem(List<String> problems, Runnable check) {
			try {
				check.run();
			}
			catch (InvalidSettingException ex) {
				problems.add(ex.getMessage());
			}
		}

		/**
		 * The roles, in upper case; refuses a role fleet-health does not have: a misspelt {@code MAINTAINERS} left
		 * its user read-only with a warning that did not name it.
		 */
		static String[] checkedRoles(String name, List<String> roles) {
			String[] checked = roles.stream()
				.filter((r) -> !r.isBlank())
				.map((r) -> r.strip().toUpperCase(Locale.ROOT))
				.toArray(String[]::new);
			for (String role : checked) {
				if (!role.equals(SecurityConfiguration.MAINTAINER)) {
					throw new InvalidSettingException("fleet-health.security.users: '" + name + "' has the role '"
							+ role + "', which fleet-health does not have. The one role is "
							+ SecurityConfiguration.MAINTAINER + " (to change things); a user without roles may only read.");
				}
			}
			return checked;
		}

		/** Accepts bcrypt hashes only, with or without the {@code {bcrypt}} prefix; refuses anything else. */
		static String bcrypt(String name, String password) {
			String stripped = password.strip();
			String bare = stripped.startsWith("{bcrypt}") ? stripped.substring("{bcrypt}".length()) : stripped;
			if (!BCRYPT.matcher(bare).matches()) {
				throw new InvalidSettingException("fleet-health.security.users: the password of '" + name
						+ "' is not a bcrypt hash. Store a hash, never the password: see README.md, 'Maintainer users'.");
			}
			return "{bcrypt}" + bare;
		}

		@Override
		public String toString() {
			// Never print the hash either.
			return "User[name=" + this.name + ", roles=" + this.roles + "]";
		}

	}

}
