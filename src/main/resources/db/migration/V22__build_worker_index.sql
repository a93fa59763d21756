-- A worker's recent builds (the worker page, /api/workers/{master}/{name}) newest first. Without it the query read
-- the master's builds backwards until it had found 50 of the worker's: most of the table for a worker with few
-- builds on a large fleet.
create index ix_build_master_worker on build (master, worker_buildbot_id, buildbot_id);
