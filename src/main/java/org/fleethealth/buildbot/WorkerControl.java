package org.fleethealth.buildbot;

import java.net.http.HttpResponse;

import org.fleethealth.source.SourceAccessDeniedException;
import org.fleethealth.source.SourceException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Controls one master's workers through Buildbot's JSON-RPC on {@code POST api/v2/workers/{id}}. A refusal (HTTP 401
 * or 403) is a {@link SourceAccessDeniedException} that says what to configure, apart from other failures.
 */
final class WorkerControl {

	private static final ObjectMapper mapper = JsonMapper.builder().build();

	private final MasterSession session;

	WorkerControl(MasterSession session) {
		this.session = session;
	}

	/** Calls {@code method} ({@code pause}, {@code unpause}) on a worker; returns once the master accepted it. */
	void call(long workerId, String method, String reason) {
		String path = "api/v2/workers/" + workerId;
		String what = "master '" + this.session.master().name() + "' (POST " + this.session.base() + path + " "
				+ method + ")";
		String body = rpc(method, reason);
		HttpResponse<String> response = this.session.post(path, body, what);
		if (response.statusCode() == 401 || response.statusCode() == 403) {
			throw new SourceAccessDeniedException(what + " was refused (HTTP " + response.statusCode() + "): "
					+ (this.session.hasCredentials()
							? "the user '" + this.session.master().username() + "' may not control workers"
							: "the master needs a login; set fleet-health.masters[N].username and .password"));
		}
		String error = rpcError(response.body());
		if (response.statusCode() != 200 || error != null) {
			throw new SourceException(what + " answered HTTP " + response.statusCode()
					+ ((error != null) ? ": " + error : ""));
		}
	}

	/** A JSON-RPC 2.0 call to a worker ({@code pause}, {@code unpause}) with its reason. */
	private static String rpc(String method, String reason) {
		var call = mapper.createObjectNode();
		call.put("jsonrpc", "2.0");
		call.put("method", method);
		call.putObject("params").put("reason", (reason != null) ? reason : "");
		call.put("id", 1);
		return mapper.writeValueAsString(call);
	}

	/** The message of a JSON-RPC error answer, or {@code null} when it is none (or not JSON). */
	private static String rpcError(String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			JsonNode error = mapper.readTree(body).path("error");
			if (error.isMissingNode() || error.isNull()) {
				return null;
			}
			String message = error.path("message").asString("");
			return message.isEmpty() ? error.toString() : message;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
