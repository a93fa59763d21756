-- The latest builds of each worker and builder, kept on their rows as builds are stored. Classification and
-- the release gate used to find them with max() queries over the master's whole build history on every poll
-- round, which made a round cost grow with the history instead of with the new builds (bench/NOTES.md).

-- When the worker last finished a build.
alter table worker add column last_build_finished_at timestamp with time zone;
-- When the builder last finished a build, and its newest finished build that says something about the code
-- (success, warnings, failure, exception), by the master's build id.
alter table builder add column last_build_finished_at timestamp with time zone;
alter table builder add column last_decisive_build_id bigint;

-- Filled from the existing history by V4_1 (per database: H2 has no UPDATE ... FROM).

-- steps_fetched now also means "no steps will be read": it is set as a build is stored when it ended well or
-- was skipped or cancelled. The steps poll then looks among the few pending builds through this index
-- instead of scanning every build of the lookback on every poll.
update build set steps_fetched = true where complete = true and results in (0, 1, 3, 6);
create index ix_build_master_steps on build (master, steps_fetched, started_at);
-- Running builds are found through it too (they are never settled), so (master, complete) is one index
-- fewer to maintain for every stored build.
drop index ix_build_master_complete;
