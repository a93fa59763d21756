package org.fleethealth.web;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. Reading is public unless {@code fleet-health.security.public-read=false}; every change
 * needs a maintainer: form login for the pages, HTTP Basic for {@code /api/**}. Users come from
 * configuration with bcrypt hashes. Without users the service runs read-only, rather than inventing a
 * password and printing it to a log that may be shipped anywhere. Failed logins are throttled per client and
 * user name ({@link LoginThrottle}): each one costs a bcrypt check.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final String MAINTAINER = "MAINTAINER";

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private static final Set<String> SAME_SITE = Set.of("same-origin", "none");

	private static final RequestMatcher REPLIES = PathPatternRequestMatcher.withDefaults().matcher("/replies/**");


	/** The API: stateless, HTTP Basic only. */
	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http, FleetSecurityProperties properties, LoginThrottle throttle)
			throws Exception {
		ApiProblems problems = new ApiProblems("fleet-health");
		http.securityMatcher("/api/**").authorizeHttpRequests((requests) -> {
			requests.requestMatchers(HttpMethod.POST, "/api/mail/once-over").hasRole(MAINTAINER);
			// The outbox holds owners' addresses and their reply links (which retire workers): maintainers only.
			requests.requestMatchers("/api/mail/outbox").hasRole(MAINTAINER);
			// Quarantine proposals name owners and pause machines: maintainers only, reading included. A worker's
			// quarantine history reads like its page.
			requests.requestMatchers("/api/quarantine/proposals", "/api/quarantine/proposals/**").hasRole(MAINTAINER);
			reads(requests, properties);
			requests.anyRequest().hasRole(MAINTAINER);
		})
			.httpBasic((basic) -> basic.realmName("fleet-health").authenticationEntryPoint(problems))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// The API never reads the login session: only credentials sent with the request count.
			.securityContext((context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			// CSRF rides on credentials a browser adds by itself. The API ignores the session cookie, and
			// scripts (curl, CI jobs) send Basic credentials explicitly and have no token to send, so API
			// writes need none. A browser may still have cached Basic credentials after a login prompt,
			// though: a write that a browser marks as cross-site (Sec-Fetch-Site) must carry a token, which
			// a forged request cannot have, so it gets 403.
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher(SecurityConfiguration::crossSiteWrite))
			.addFilterBefore(new LoginThrottleFilter(throttle, false), BasicAuthenticationFilter.class);
		return http.build();
	}

	/** The pages: form login with a session, CSRF tokens on every form. */
	@Bean
	@Order(2)
	SecurityFilterChain pageSecurity(HttpSecurity http, FleetSecurityProperties properties, LoginThrottle throttle)
			throws Exception {
		http.authorizeHttpRequests((requests) -> {
			requests.requestMatchers(EndpointRequest.to("health", "prometheus")).permitAll();
			requests.requestMatchers("/login", "/error", "/css/**", "/favicon.ico").permitAll();
			// Owners answer from a link in a mail, without an account: the link carries a token that the
			// replies pages check.
			requests.requestMatchers("/replies/**").permitAll();
			requests.requestMatchers("/quarantine", "/quarantine/**").hasRole(MAINTAINER);
			reads(requests, properties);
			requests.anyRequest().hasRole(MAINTAINER);
		})
			// A reply's token (unguessable, in its path) is what a forged request cannot have, so it does the work of
			// the CSRF token there. The session's CSRF token would make an owner's answer fail once the session of
			// the page expired (30 minutes), with a page asking for a maintainer login they never get. A write the
			// browser marks as cross-site still needs the session's token.
			.csrf((csrf) -> csrf.requireCsrfProtectionMatcher((request) -> REPLIES.matches(request)
					? crossSiteWrite(request) : CsrfFilter.DEFAULT_CSRF_MATCHER.matches(request)))
			.exceptionHandling((exceptions) -> exceptions.accessDeniedHandler(new PageAccessDenied()))
			.formLogin((form) -> form.loginPage("/login").permitAll())
			.logout((logout) -> logout.logoutSuccessUrl("/login?logout"))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(
					"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
							+ "frame-ancestors 'none'; form-action 'self'")))
			.addFilterBefore(new LoginThrottleFilter(throttle, true), UsernamePasswordAuthenticationFilter.class);
		return http.build();
	}

	/** Failed logins per client and user name, counted from Spring Security's authentication events. */
	@Bean
	LoginThrottle loginThrottle(FleetSecurityProperties properties, Clock clock, MeterRegistry meters) {
		return new LoginThrottle(properties.login(), clock, meters);
	}

	private static void reads(
			AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests,
			FleetSecurityProperties properties) {
		if (properties.publicRead()) {
			requests.requestMatchers(HttpMethod.GET).permitAll().requestMatchers(HttpMethod.HEAD).permitAll();
		}
		else {
			requests.requestMatchers(HttpMethod.GET).authenticated().requestMatchers(HttpMethod.HEAD).authenticated();
		}
	}

	static boolean crossSiteWrite(HttpServletRequest request) {
		String site = request.getHeader("Sec-Fetch-Site");
		return !SAFE_METHODS.contains(request.getMethod())
				&& site != null && !SAME_SITE.contains(site.toLowerCase(Locale.ROOT));
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	UserDetailsService users(FleetSecurityProperties properties) {
		List<UserDetails> users = properties.users().stream().map(SecurityConfiguration::user).toList();
		if (users.isEmpty()) {
			logger.warn("No fleet-health.security.users are configured: nobody can log in, so fleet-health is "
					+ (properties.publicRead() ? "read-only" : "closed (public-read is off)")
					+ ". See README.md, 'Maintainer users', to add one.");
		}
		else if (users.stream().noneMatch((u) -> u.getAuthorities().stream()
			.anyMatch((a) -> a.getAuthority().equals("ROLE_" + MAINTAINER)))) {
			logger.warn("No configured user has the role " + MAINTAINER + ": nobody can change anything.");
		}
		return new InMemoryUserDetailsManager(users);
	}

	private static UserDetails user(FleetSecurityProperties.User user) {
		return User.withUsername(user.name()).password(hash(user)).roles(roles(user)).build();
	}

	/** The user's roles, in upper case ({@link FleetSecurityProperties.User#checkedRoles}). */
	static String[] roles(FleetSecurityProperties.User user) {
		return FleetSecurityProperties.User.checkedRoles(user.name(), user.roles());
	}

	/** The user's bcrypt hash, with its {@code {bcrypt}} prefix ({@link FleetSecurityProperties.User#bcrypt}). */
	static String hash(FleetSecurityProperties.User user) {
		return FleetSecurityProperties.User.bcrypt(user.name(), user.password());
	}

}
