-- Fills the columns V4 added from the builds already stored: one pass over the history per column (a
-- correlated max() per row would read the history once per worker).

update worker w set last_build_finished_at = m.last_at
from (select master, worker_buildbot_id, max(complete_at) as last_at from build
      where complete = true group by master, worker_buildbot_id) m
where w.master = m.master and w.buildbot_id = m.worker_buildbot_id;

update builder r set last_build_finished_at = m.last_at
from (select master, builder_buildbot_id, max(complete_at) as last_at from build
      where complete = true group by master, builder_buildbot_id) m
where r.master = m.master and r.buildbot_id = m.builder_buildbot_id;

update builder r set last_decisive_build_id = m.last_id
from (select master, builder_buildbot_id, max(buildbot_id) as last_id from build
      where complete = true and results in (0, 1, 2, 4) group by master, builder_buildbot_id) m
where r.master = m.master and r.buildbot_id = m.builder_buildbot_id;
