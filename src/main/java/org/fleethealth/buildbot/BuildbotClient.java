package org.fleethealth.buildbot;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.fleethealth.source.FleetProperties;
import org.fleethealth.source.FleetSource;
import org.fleethealth.source.SourceBuild;
import org.fleethealth.source.SourceBuildRequest;
import org.fleethealth.source.SourceBuilder;
import org.fleethealth.source.SourceMaster;
import org.fleethealth.source.SourceStep;
import org.fleethealth.source.SourceStream;
import org.fleethealth.source.SourceWorker;

/**
 * Reads one Buildbot master's REST data API. Every request carries a {@code limit} (Buildbot limits
 * nothing by default and large masters have been knocked over by unbounded crawls), builds are paged on
 * {@code buildid} only (the primary key, so the limit is pushed into SQL), and every call has connect and
 * read timeouts. Logging in and sending are {@link MasterSession}'s, pausing and unpausing workers is
 * {@link WorkerControl}'s, and the answers are read by one reader per resource ({@link WorkerJson},
 * {@link BuildJson}, ...).
 */
class BuildbotClient implements FleetSource {

	/**
	 * The longest URL sent: well within the request line that common servers and proxies accept (8 KB for
	 * Apache's {@code LimitRequestLine} and nginx's {@code large_client_header_buffers}), with room left for a
	 * proxy that adds to it.
	 */
	static final int MAX_URL_LENGTH = 4000;

	// The revision built and the branch it came from. Buildbot reads a build's properties in one query whatever
	// their number, so the second name costs nothing more.
	private static final String PROPERTIES = "&property=got_revision&property=branch";

	private final MasterSession session;

	private final WorkerControl control;

	private final BuildbotProperties properties;

	private final Clock clock;

	private BuildbotStream stream;

	BuildbotClient(FleetProperties.Master master, BuildbotProperties properties, Clock clock) {
		this.session = new MasterSession(master, properties);
		this.control = new WorkerControl(this.session);
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public String masterName() {
		return this.session.master().name();
	}

	@Override
	public String url() {
		return this.session.base().toString();
	}

	@Override
	public List<SourceWorker> workers() {
		String path = "api/v2/workers?limit=" + this.properties.maxListSize();
		return WorkerJson.workers(this.session.get(path), this.session.describe(path), this.properties.maxListSize());
	}

	@Override
	public List<SourceMaster> masters() {
		String path = "api/v2/masters?limit=" + this.properties.maxListSize();
		return MasterJson.masters(this.session.get(path), this.session.describe(path));
	}

	@Override
	public List<SourceBuilder> builders() {
		String path = "api/v2/builders?limit=" + this.properties.maxListSize();
		return BuilderJson.builders(this.session.get(path), this.session.describe(path), this.properties.maxListSize());
	}

	@Override
	public List<SourceBuild> buildsAfter(long afterId, int limit) {
		String path = "api/v2/builds?buildid__gt=" + afterId + "&order=buildid&limit=" + limit + PROPERTIES;
		return BuildJson.builds(this.session.get(path), this.session.describe(path));
	}

	@Override
	public List<SourceBuild> buildsBefore(long beforeId, int limit) {
		String filter = (beforeId == Long.MAX_VALUE) ? "" : "buildid__lt=" + beforeId + "&";
		String path = "api/v2/builds?" + filter + "order=-buildid&limit=" + limit + PROPERTIES;
		return BuildJson.builds(this.session.get(path), this.session.describe(path));
	}

	/**
	 * Asks for builds by id in as many requests as it takes for each URL to stay within
	 * {@value #MAX_URL_LENGTH} characters.
	 */
	@Override
	public List<SourceBuild> builds(Collection<Long> ids) {
		List<SourceBuild> builds = new ArrayList<>();
		// Room for a limit of up to four more digits than the empty list's "0".
		int fixed = this.session.base().toString().length() + buildsById(List.of()).length() + 4;
		int length = fixed;
		List<Long> chunk = new ArrayList<>();
		for (Long id : ids) {
			int more = "&buildid__eq=".length() + String.valueOf(id).length();
			if (!chunk.isEmpty() && length + more > MAX_URL_LENGTH) {
				builds.addAll(readBuildsById(chunk));
				chunk = new ArrayList<>();
				length = fixed;
			}
			chunk.add(id);
			length += more;
		}
		if (!chunk.isEmpty()) {
			builds.addAll(readBuildsById(chunk));
		}
		return builds;
	}

	private List<SourceBuild> readBuildsById(List<Long> ids) {
		String path = buildsById(ids);
		return BuildJson.builds(this.session.get(path), this.session.describe(path));
	}

	/**
	 * Unclaimed, incomplete requests, oldest first by their primary key (so the limit reaches SQL); only the fields
	 * that are read.
	 */
	@Override
	public List<SourceBuildRequest> waitingBuildRequests(int limit) {
		String path = "api/v2/buildrequests?claimed=false&complete=false&order=buildrequestid&limit=" + limit
				+ "&field=buildrequestid&field=builderid&field=submitted_at&field=claimed&field=complete";
		return BuildRequestJson.buildRequests(this.session.get(path), this.session.describe(path));
	}

	/** Repeating buildid__eq is an OR on the primary key. */
	private static String buildsById(List<Long> ids) {
		String filter = ids.stream().map((id) -> "buildid__eq=" + id).collect(Collectors.joining("&"));
		return "api/v2/builds?" + filter + "&limit=" + ids.size() + PROPERTIES;
	}

	@Override
	public List<SourceStep> steps(long buildId) {
		String path = "api/v2/builds/" + buildId
				+ "/steps?field=number&field=name&field=results&field=complete_at&limit=1000";
		return StepJson.steps(this.session.get(path), this.session.describe(path));
	}

	@Override
	public String buildUrl(long builderId, int number) {
		return this.session.base() + "#/builders/" + builderId + "/builds/" + number;
	}

	/**
	 * The master's WebSocket event stream ({@code /ws}), one per client, sharing this client's connections and
	 * session cookie; empty when {@code fleet-health.buildbot.stream-enabled} is false.
	 */
	@Override
	public synchronized Optional<SourceStream> stream() {
		if (!this.properties.streamEnabled()) {
			return Optional.empty();
		}
		if (this.stream == null) {
			this.stream = new BuildbotStream(this.session.master().name(), this.session.base(), this.session.http(),
					this.properties, this.clock, this.session.hasCredentials() ? this.session::login : null);
		}
		return Optional.of(this.stream);
	}

	/** JSON-RPC {@code pause} on {@code POST api/v2/workers/{id}}, logged in first where the master needs it. */
	@Override
	public void pause(long workerId, String reason) {
		this.control.call(workerId, "pause", reason);
	}

	/** JSON-RPC {@code unpause} on {@code POST api/v2/workers/{id}}. */
	@Override
	public void unpause(long workerId, String reason) {
		this.control.call(workerId, "unpause", reason);
	}

	/** Closes the stream, if one was made. */
	synchronized void closeStream() {
		if (this.stream != null) {
			this.stream.close();
		}
	}

}
