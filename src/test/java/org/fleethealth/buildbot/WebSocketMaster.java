package org.fleethealth.buildbot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.websocket.server.WsSci;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for a Buildbot master's web server in tests, on embedded Tomcat (on the classpath with Spring Boot):
 * {@code /all/ws} speaks Buildbot's WebSocket protocol as a 3.7 master does ({@code startConsuming} acknowledged
 * with {@code {"msg":"OK","code":200,"_id":N}}, {@code ping} answered with {@code pong}, an unknown command with
 * a 404 error), {@code /all/auth/login} hands out a session cookie. Switches make it misbehave: refuse the
 * upgrade, want the cookie, ignore pings, refuse subscriptions, close right after subscribing.
 */
final class WebSocketMaster implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	// Tomcat logs through java.util.logging; its start and stop lines would drown the test's own.
	private static final java.util.logging.Logger tomcatLog = java.util.logging.Logger.getLogger("org.apache");

	static {
		tomcatLog.setLevel(java.util.logging.Level.WARNING);
	}

	static final String COOKIE = "TWISTED_SESSION=lab-session";

	private final Tomcat tomcat = new Tomcat();

	private final Path baseDir;

	/** Every text message the clients sent, in order. */
	final List<String> received = new CopyOnWriteArrayList<>();

	/** The Cookie header of every upgrade request (empty string: none). */
	final List<String> upgradeCookies = new CopyOnWriteArrayList<>();

	final AtomicInteger connections = new AtomicInteger();

	final AtomicInteger logins = new AtomicInteger();

	private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

	/** An HTTP status to answer upgrades with instead of upgrading; 0 upgrades. */
	volatile int refuseUpgradeWith;

	volatile boolean requireCookie;

	volatile boolean answerPings = true;

	volatile boolean refuseSubscriptions;

	/** Close each connection as soon as both subscriptions are acknowledged. */
	volatile boolean closeAfterSubscribing;

	WebSocketMaster() {
		try {
			this.baseDir = Files.createTempDirectory("ws-master");
			this.tomcat.setBaseDir(this.baseDir.toString());
			this.tomcat.setPort(0);
			this.tomcat.getConnector().setProperty("address", "127.0.0.1");
			StandardContext context = (StandardContext) this.tomcat.addContext("", null);
			// No web application to unload here: the leak checks would only warn that they need --add-opens.
			context.setClearReferencesRmiTargets(false);
			context.setClearReferencesThreadLocals(false);
			context.addServletContainerInitializer(new WsSci(), null);
			context.addServletContainerInitializer((classes, servletContext) -> {
				ServerContainer container = (ServerContainer) servletContext
					.getAttribute(ServerContainer.class.getName());
				try {
					container.addEndpoint(ServerEndpointConfig.Builder.create(MasterEndpoint.class, "/all/ws")
						.configurator(new ServerEndpointConfig.Configurator() {
							@Override
							public <T> T getEndpointInstance(Class<T> endpointClass) {
								return endpointClass.cast(new MasterEndpoint());
							}
						})
						.build());
				}
				catch (jakarta.websocket.DeploymentException ex) {
					throw new IllegalStateException(ex);
				}
			}, null);
			FilterDef gate = new FilterDef();
			gate.setFilterName("upgrade-gate");
			gate.setFilter(upgradeGate());
			context.addFilterDef(gate);
			FilterMap map = new FilterMap();
			map.setFilterName("upgrade-gate");
			map.addURLPattern("/all/ws");
			context.addFilterMap(map);
			Tomcat.addServlet(context, "login", new HttpServlet() {
				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
					if (request.getRequestURI().equals("/all/auth/login")
							&& request.getHeader("Authorization") != null) {
						WebSocketMaster.this.logins.incrementAndGet();
						response.addHeader("Set-Cookie", COOKIE + "; Path=/");
						response.setStatus(200);
					}
					else {
						response.sendError(404);
					}
				}
			});
			context.addServletMappingDecoded("/*", "login");
			this.tomcat.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The base URL a Buildbot client is configured with. */
	URI base() {
		return URI.create("http://127.0.0.1:" + this.tomcat.getConnector().getLocalPort() + "/all/");
	}

	private Filter upgradeGate() {
		return (request, response, chain) -> {
			HttpServletRequest http = (HttpServletRequest) request;
			String cookie = http.getHeader("Cookie");
			this.upgradeCookies.add((cookie != null) ? cookie : "");
			int refuse = this.refuseUpgradeWith;
			if (refuse != 0) {
				((HttpServletResponse) response).sendError(refuse);
				return;
			}
			if (this.requireCookie && (cookie == null || !cookie.contains(COOKIE))) {
				((HttpServletResponse) response).sendError(403);
				return;
			}
			chain.doFilter(request, response);
		};
	}

	/** Sends a text message to every open connection. */
	void push(String message) {
		for (Session session : this.sessions) {
			send(session, message);
		}
	}

	int open() {
		return this.sessions.size();
	}

	/** Closes every open connection as a master that stops does. */
	void dropAll() {
		for (Session session : this.sessions) {
			try {
				session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "master shutting down"));
			}
			catch (IOException ex) {
				// already gone
			}
		}
	}

	/** The commands the clients sent ({@code cmd} of every message), in order. */
	List<String> commands() {
		return this.received.stream().map((m) -> json.readTree(m).path("cmd").asString()).toList();
	}

	private static void send(Session session, String message) {
		synchronized (session) {
			try {
				if (session.isOpen()) {
					session.getBasicRemote().sendText(message);
				}
			}
			catch (IOException ex) {
				// the client went away
			}
		}
	}

	@Override
	public void close() {
		try {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			FileSystemUtils.deleteRecursively(this.baseDir.toFile());
		}
	}

	/** One client connection, answering as Buildbot's {@code WsProtocol} does. */
	final class MasterEndpoint extends Endpoint {

		private final Set<String> consumed = ConcurrentHashMap.newKeySet();

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			WebSocketMaster.this.connections.incrementAndGet();
			WebSocketMaster.this.sessions.add(session);
			session.addMessageHandler(String.class, (MessageHandler.Whole<String>) (message) -> command(session, message));
		}

		@Override
		public void onClose(Session session, CloseReason closeReason) {
			WebSocketMaster.this.sessions.remove(session);
		}

		private void command(Session session, String message) {
			WebSocketMaster.this.received.add(message);
			JsonNode frame = json.readTree(message);
			long id = frame.path("_id").asLong();
			switch (frame.path("cmd").asString()) {
				case "startConsuming" -> {
					if (WebSocketMaster.this.refuseSubscriptions) {
						send(session, "{\"error\":\"invalid path format '" + frame.path("path").asString()
								+ "'\",\"code\":400,\"_id\":" + id + "}");
						return;
					}
					this.consumed.add(frame.path("path").asString());
					send(session, "{\"msg\":\"OK\",\"code\":200,\"_id\":" + id + "}");
					if (WebSocketMaster.this.closeAfterSubscribing && this.consumed.size() == 2) {
						try {
							session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "bye"));
						}
						catch (IOException ex) {
							// gone already
						}
					}
				}
				case "ping" -> {
					if (WebSocketMaster.this.answerPings) {
						send(session, "{\"msg\":\"pong\",\"code\":200,\"_id\":" + id + "}");
					}
				}
				default -> send(session, "{\"error\":\"no such command type '" + frame.path("cmd").asString()
						+ "'\",\"code\":404,\"_id\":" + id + "}");
			}
		}

	}

}
