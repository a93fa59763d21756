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
