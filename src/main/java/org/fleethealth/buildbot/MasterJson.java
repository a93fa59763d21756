package org.fleethealth.buildbot;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.fleethealth.source.SourceMaster;

import static org.fleethealth.buildbot.JsonFields.abbreviate;
import static org.fleethealth.buildbot.JsonFields.instant;
import static org.fleethealth.buildbot.JsonFields.each;
import static org.fleethealth.buildbot.JsonFields.longValue;
import static org.fleethealth.buildbot.JsonFields.text;

/** Reads the master processes behind Buildbot's API, with whether each is active and its last heartbeat. */
final class MasterJson {

	private static final Log logger = LogFactory.getLog(MasterJson.class);

	private MasterJson() {
	}

	static List<SourceMaster> masters(String body, String what) {
		return each(body, "masters", what, (node) -> {
			Long id = longValue(node.path("masterid"));
			if (id == null) {
				logger.warn("Skipping a master without masterid in " + what + ": " + abbreviate(node));
				return null;
			}
			return new SourceMaster(id, text(node.path("name")), node.path("active").asBoolean(false),
				instant(node.path("last_active")));
		}).items();
	}

}
