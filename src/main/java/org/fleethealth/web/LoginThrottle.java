package org.fleethealth.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.system.Durations;
import org.fleethealth.system.FreeText;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Counts failed logins per client address and per user name, from Spring Security's own authentication events,
 * and says when a client or a name has had too many within the window ({@code fleet-health.security.login.*}).
 * The counts live in memory, bounded in number and expiring with the window, with time from the application's
 * clock; each instance counts its own.
 */
class LoginThrottle {

	private static final Log logger = LogFactory.getLog(LoginThrottle.class);

	/** Most clients and most user names remembered: one who invents names cannot grow the memory without bound. */
	private static final int MAX_KEYS = 10_000;

	private final FleetSecurityProperties.Login limits;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Cache<String, Failures> clients;

	private final Cache<String, Failures> users;

	LoginThrottle(FleetSecurityProperties.Login limits, Clock clock, MeterRegistry meters) {
		this.limits = limits;
		this.clock = clock;
		this.meters = meters;
		this.clients = cache(limits.window(), clock);
		this.users = cache(limits.window(), clock);
		for (String via : new String[] { "form", "basic" }) {
			failures(via);
			throttled(via);
		}
	}

	private static Cache<String, Failures> cache(Duration window, Clock clock) {
		Ticker ticker = () -> {
			Instant now = clock.instant();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		};
		return Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(window).ticker(ticker).build();
	}

	/** How long logins from this client, or for this name ({@code null} if none was sent), are refused; empty if not. */
	Optional<Duration> refused(String client, String user) {
		Instant now = this.clock.instant();
		Instant until = Durations.latest(blockedUntil(this.clients.getIfPresent(client), this.limits.maxFailuresPerClient(), now),
				(user != null) ? blockedUntil(this.users.getIfPresent(key(user)), this.limits.maxFailuresPerUser(), now)
						: null);
		return Optional.ofNullable(until).map((at) -> Duration.between(now, at));
	}

	/** Counts a login refused for being over the limit, on the form or HTTP Basic. */
	void throttled(String via, String client) {
		throttled(via).increment();
		logger.debug("Refused a login from " + client + " (" + via + "): too many failed logins");
	}

	@EventListener
	void failed(AbstractAuthenticationFailureEvent event) {
		String user = event.getAuthentication().getName();
		String client = client(event.getAuthentication().getDetails());
		Instant now = this.clock.instant();
		Failures fromClient = (client != null)
				? this.clients.asMap().compute(client, (k, f) -> Failures.add(f, now, this.limits.window())) : null;
		Failures forUser = (user != null)
				? this.users.asMap().compute(key(user), (k, f) -> Failures.add(f, now, this.limits.window())) : null;
		String via = via();
		failures(via).increment();
		log(via, client, user, fromClient, forUser);
	}

	/**
	 * A warning per failed login, which log watchers (fail2ban and the like) and an operator asking "who is guessing"
	 * need, and one when a client or a name reaches its limit. Refusals past the limit are not logged one by one: a
	 * loop would fill the log.
	 */
	private void log(String via, String client, String user, Failures fromClient, Failures forUser) {
		String name = (user != null) ? "'" + FreeText.fit(FreeText.oneLine(user), 100) + "'" : "(no name)";
		logger.warn("Failed login for " + name + " from " + client + " (" + via + "): "
				+ count(fromClient, this.limits.maxFailuresPerClient()) + " from this client, "
				+ count(forUser, this.limits.maxFailuresPerUser()) + " for this name within login.window");
		if (fromClient != null && fromClient.count() == this.limits.maxFailuresPerClient()) {
			logger.warn("Logins from " + client + " are refused (429) until " + fromClient.windowEnd() + ": "
					+ fromClient.count() + " failed logins");
		}
		if (forUser != null && forUser.count() == this.limits.maxFailuresPerUser()) {
			logger.warn("Logins for " + name + " are refused (429) from every client until " + forUser.windowEnd()
					+ ": " + forUser.count() + " failed logins");
		}
	}

	private static String count(Failures failures, int max) {
		return ((failures != null) ? failures.count() : 0) + " of " + max;
	}

	/** A name that logs in starts counting afresh; its client does not (another name may be guessed from there). */
	@EventListener
	void succeeded(AuthenticationSuccessEvent event) {
		this.users.invalidate(key(event.getAuthentication().getName()));
	}

	private static String client(Object details) {
		if (details instanceof WebAuthenticationDetails web) {
			return web.getRemoteAddress();
		}
		HttpServletRequest request = request();
		return (request != null) ? request.getRemoteAddr() : null;
	}

	/** The form posts to {@code /login}; everything else is HTTP Basic on the API. */
	private static String via() {
		HttpServletRequest request = request();
		return (request != null && LoginThrottleFilter.isLoginForm(request)) ? "form" : "basic";
	}

	private static HttpServletRequest request() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

	private static String key(String user) {
		return user.strip().toLowerCase(Locale.ROOT);
	}

	private static Instant blockedUntil(Failures failures, int max, Instant now) {
		return (failures != null && failures.count() >= max && now.isBefore(failures.windowEnd())) ? failures.windowEnd()
				: null;
	}

	private Counter failures(String via) {
		return Counter.builder("fleet.login.failures")
			.description("Failed logins (wrong password or unknown user), on the login form or HTTP Basic")
			.tag("via", via)
			.register(this.meters);
	}

	private Counter throttled(String via) {
		return Counter.builder("fleet.login.throttled")
			.description("Logins refused with 429 without a password check: too many failed logins from the client"
					+ " or for the user name within fleet-health.security.login.window")
			.tag("via", via)
			.register(this.meters);
	}

	/** Failures within a window that started with the first of them. */
	record Failures(int count, Instant windowEnd) {

		static Failures add(Failures failures, Instant now, Duration window) {
			if (failures == null || !now.isBefore(failures.windowEnd())) {
				return new Failures(1, now.plus(window));
			}
			return new Failures(failures.count() + 1, failures.windowEnd());
		}

	}

}
