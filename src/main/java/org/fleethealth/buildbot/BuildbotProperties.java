package org.fleethealth.buildbot;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.util.unit.DataSize;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How fleet-health talks to Buildbot masters.
 *
 * @param connectTimeout how long to wait for a TCP connection to a master (the WebSocket's opening handshake
 * included)
 * @param readTimeout how long to wait for a whole answer
 * @param maxListSize the {@code limit} sent with the workers and builders lists (Buildbot limits nothing by
 * default, so every request carries one)
 * @param userAgent the User-Agent header, so master operators can tell who is polling them
 * @param maxResponseSize the largest answer accepted; a larger one is dropped unread, so a broken or hostile
 * master cannot exhaust memory. Also the largest single WebSocket message: a larger one is skipped
 * @param streamEnabled whether to offer each master's WebSocket event stream ({@code /ws}) beside the polls
 * @param streamPingInterval how often a connected stream sends Buildbot's {@code ping} command: it keeps proxies
 * from closing an idle connection (nginx's default is 60 s), and a connection that answered neither the last
 * ping nor anything else by the next one is taken as dead and reconnected
 * @param streamBackoffInitial the wait before reconnecting after the first failure; it doubles with each further
 * failure and starts again once a connection has answered a ping
 * @param streamBackoffMax the longest wait between attempts to reconnect; also how often a master whose web
 * server refused the WebSocket is asked again
 */
@Validated
@ConfigurationProperties("fleet-health.buildbot")
public record BuildbotProperties(@DefaultValue("PT5S") @NotNull Duration connectTimeout,
		@DefaultValue("PT30S") @NotNull Duration readTimeout, @DefaultValue("5000") int maxListSize,
		@DefaultValue("fleet-health") String userAgent, @DefaultValue("32MB") @NotNull DataSize maxResponseSize,
		@DefaultValue("true") boolean streamEnabled, @DefaultValue("PT30S") @NotNull Duration streamPingInterval,
		@DefaultValue("PT5S") @NotNull Duration streamBackoffInitial,
		@DefaultValue("PT5M") @NotNull Duration streamBackoffMax) {

	@ConstructorBinding
	public BuildbotProperties {
		if (maxResponseSize != null && maxResponseSize.toBytes() <= 0) {
			throw new IllegalArgumentException("fleet-health.buildbot.max-response-size must be positive");
		}
		positive("connect-timeout", connectTimeout);
		positive("read-timeout", readTimeout);
		positive("stream-ping-interval", streamPingInterval);
		positive("stream-backoff-initial", streamBackoffInitial);
		positive("stream-backoff-max", streamBackoffMax);
		if (streamBackoffInitial != null && streamBackoffMax != null
				&& streamBackoffMax.compareTo(streamBackoffInitial) < 0) {
			throw new IllegalArgumentException(
					"fleet-health.buildbot.stream-backoff-max must not be shorter than stream-backoff-initial");
		}
	}

	// Checked here, not with the system module's @PositiveDuration: the adapter depends on the source module only.
	private static void positive(String name, Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			throw new IllegalArgumentException("fleet-health.buildbot." + name + " must be positive");
		}
	}

	/** The REST settings, with the stream's defaults. */
	public BuildbotProperties(Duration connectTimeout, Duration readTimeout, int maxListSize, String userAgent,
			DataSize maxResponseSize) {
		this(connectTimeout, readTimeout, maxListSize, userAgent, maxResponseSize, true, Duration.ofSeconds(30),
				Duration.ofSeconds(5), Duration.ofMinutes(5));
	}

}
