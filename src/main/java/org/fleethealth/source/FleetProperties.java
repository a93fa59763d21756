package org.fleethealth.source;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The fleet to watch.
 *
 * @param masters the masters to poll ({@code fleet-health.masters[N].name/url/username/password})
 * @param owners owner contacts by worker name ({@code fleet-health.owners[worker]=Name <email>}, several separated
 * by commas); wins over everything else
 * @param ownersByPrefix owner contacts by worker-name prefix, the name up to its first '-'
 * ({@code fleet-health.owners-by-prefix[jane]=Jane Doe <jane@example.org>} covers {@code jane-debian},
 * {@code jane-win11}...): CPython's convention; wins over what the worker reports
 * @param publicUrl where people reach this service; every link in a mail is built from it, never from a
 * request's Host header
 */
@Validated
@ConfigurationProperties("fleet-health")
public record FleetProperties(@Valid List<Master> masters, Map<String, String> owners,
		Map<String, String> ownersByPrefix, @DefaultValue("http://localhost:8080/") URI publicUrl) {

	public FleetProperties {
		masters = (masters != null) ? List.copyOf(masters) : List.of();
		owners = (owners != null) ? Map.copyOf(owners) : Map.of();
		ownersByPrefix = (ownersByPrefix != null) ? Map.copyOf(ownersByPrefix) : Map.of();
		Set<String> names = new HashSet<>();
		for (Master master : masters) {
			if (master != null && master.name() != null && !names.add(master.name())) {
				throw new IllegalArgumentException("fleet-health.masters: the name '" + master.name()
						+ "' is used twice; each master needs its own name");
			}
		}
	}

	/** The public URL with a trailing slash, ready to resolve relative links against. */
	public String baseUrl() {
		String url = this.publicUrl.toString();
		return url.endsWith("/") ? url : url + "/";
	}

	/**
	 * One Buildbot master.
	 *
	 * @param name a short unique name used in the API, metrics and mails (e.g. {@code python}): letters, digits,
	 * {@code .}, {@code _} and {@code -}
	 * @param url the master's base URL, the one its web UI lives at (e.g.
	 * {@code https://buildbot.python.org/all/})
	 * @param username optional login for masters that require authentication
	 * @param password optional password for {@code username}
	 */
	public record Master(@NotBlank String name, @NotNull URI url, String username, String password) {

		/**
		 * @throws IllegalArgumentException when the URL is not an absolute {@code http} or {@code https} URL with a
		 * host: it would fail every poll, and is refused at start instead
		 */
		public Master {
			if (name != null && !name.isBlank() && !NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("fleet-health.masters: the name '" + name + "' has characters other"
						+ " than letters, digits, '.', '_' and '-'; it is a path segment of the pages and the API"
						+ " (/workers/{master}/{worker}) and a label of every metric: use a short name, as python");
			}
			if (url != null && !isWebUrl(url)) {
				throw new IllegalArgumentException("fleet-health.masters: the url '" + url + "' of master '" + name
						+ "' is not an http or https URL with a host; give the address of the master's web UI, as"
						+ " https://buildbot.python.org/all/");
			}
		}

		private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

		private static boolean isWebUrl(URI url) {
			String scheme = url.getScheme();
			return url.isAbsolute() && url.getHost() != null
					&& ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
		}

		@Override
		public String toString() {
			// Never print the password.
			return "Master[name=" + this.name + ", url=" + this.url + "]";
		}

	}

}
