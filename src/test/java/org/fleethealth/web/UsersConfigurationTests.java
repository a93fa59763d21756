package org.fleethealth.web;

import java.util.List;

import org.fleethealth.system.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Configured users: bcrypt hashes are taken with or without prefix, anything else stops the start. */
class UsersConfigurationTests {

	private static final String HASH = new BCryptPasswordEncoder(4).encode("s3cret");

	private static FleetSecurityProperties.User user(String password) {
		return new FleetSecurityProperties.User("ann", password, List.of("MAINTAINER"));
	}

	@Test
	void takesBcryptHashesWithOrWithoutPrefix() {
		assertThat(SecurityConfiguration.hash(user("{bcrypt}" + HASH))).isEqualTo("{bcrypt}" + HASH);
		String htpasswd = HASH.replace("$2a$", "$2y$");
		assertThat(SecurityConfiguration.hash(user(htpasswd))).isEqualTo("{bcrypt}" + htpasswd);
		assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder()
			.matches("s3cret", SecurityConfiguration.hash(user(htpasswd)))).isTrue();
	}

	@Test
	void refusesAPlainPasswordAndNamesTheUserButNotThePassword() {
		for (String password : List.of("s3cret", "{noop}s3cret", "{bcrypt}s3cret")) {
			assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> SecurityConfiguration.hash(user(password)))
				.withMessageContaining("'ann'")
				.withMessageContaining("not a bcrypt hash")
				.withMessageNotContaining("s3cret");
		}
	}

	@Test
	void aBadPasswordAndABadRoleAreReportedTogether() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new FleetSecurityProperties.User("ann", "s3cret", List.of("ADMIN")))
			.withMessageContaining("the password of 'ann' is not a bcrypt hash")
			.withMessageContaining("'ann' has the role 'ADMIN', which fleet-health does not have")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void neverPrintsTheHash() {
		assertThat(user("{bcrypt}" + HASH)).hasToString("User[name=ann, roles=[MAINTAINER]]");
	}

}
