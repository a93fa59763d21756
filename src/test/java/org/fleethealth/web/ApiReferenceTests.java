package org.fleethealth.web;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fleethealth.Readme;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "HTTP API" table and the service's handlers name the same requests: scripts are written against the
 * table, so an endpoint added without its row, or a row left behind by a change, fails here.
 */
@WebSliceTest
class ApiReferenceTests {

	private static final Pattern REQUEST = Pattern.compile("`(GET|POST|PUT|DELETE) (/[^`?]*)[^`]*`((?:, `/[^`]+`)*)");

	private static final Pattern MORE = Pattern.compile("`(/[^`?]+)[^`]*`");

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void everyApiRequestHasARowAndEveryRowAHandler() {
		Set<String> handled = new TreeSet<>();
		this.mappings.getHandlerMethods().keySet().forEach((info) -> {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String path : info.getPatternValues()) {
				if (path.startsWith("/api/") || path.startsWith("/replies/")) {
					(methods.isEmpty() ? Set.of(RequestMethod.GET) : methods)
						.forEach((m) -> handled.add(m + " " + anyVariable(path)));
				}
			}
		});
		Set<String> documented = documented();
		assertThat(documented).as("the README's HTTP API table").hasSizeGreaterThan(20);
		assertThat(handled).as("requests the service answers that the README's HTTP API table does not list")
			.isSubsetOf(documented);
		assertThat(documented).as("rows of the README's HTTP API table that no handler answers")
			.isSubsetOf(handled);
	}

	/** A path variable's name is the code's business: "{name}" and "{worker}" are one request. */
	private static String anyVariable(String path) {
		return path.replaceAll("\\{[^}]*}", "{}");
	}

	/**
	 * "`POST /api/pruning/proposals/{id}/approve`, `/reject`, `/snooze?until=YYYY-MM-DD`": a row may name several
	 * requests, the later ones by their last segment; queries are not part of a request's path.
	 */
	private static Set<String> documented() {
		String table = Readme.section("HTTP API");
		Set<String> requests = new TreeSet<>();
		for (String line : table.split("\n")) {
			if (!line.startsWith("| `")) {
				continue;
			}
			String first = line.substring(2, line.indexOf(" |", 2));
			Matcher request = REQUEST.matcher(first);
			while (request.find()) {
				String method = request.group(1);
				String path = request.group(2);
				if (!path.startsWith("/api/") && !path.startsWith("/replies/")) {
					continue;
				}
				requests.add(method + " " + anyVariable(path));
				Matcher more = MORE.matcher(request.group(3));
				while (more.find()) {
					requests.add(method + " " + anyVariable(path.substring(0, path.lastIndexOf('/')) + more.group(1)));
				}
			}
		}
		return requests;
	}

}
