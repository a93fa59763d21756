-- Buildbot unlinks every worker from a master while it restarts and answers in between: a worker leaves the fleet
-- only after it has been listed as configured nowhere for fleet-health.poll.unconfigured-after.
alter table worker add column unconfigured_since timestamp with time zone;
