-- When each worker last finished a build, kept on the worker row as builds are stored. Classification
-- used to read it with a max() over the master's whole build history on every poll round, which made a
-- round cost grow with the history instead of with the new builds (bench/NOTES.md).
alter table worker add column last_build_finished_at timestamp with time zone;

update worker w set last_build_finished_at = (
    select max(b.complete_at) from build b
    where b.master = w.master and b.worker_buildbot_id = w.buildbot_id and b.complete = true);
