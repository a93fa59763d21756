-- Workers that are neither simply up nor down: paused, on several masters, with waiting work.

-- Pause state as fleet-health saw it change, and which master processes a worker is connected to / configured on
-- (comma-separated Buildbot master ids).
alter table worker add column paused_since timestamp with time zone;
alter table worker add column pause_reason varchar(500);
alter table worker add column connected_to varchar(1000) not null default '';
alter table worker add column configured_on varchar(1000) not null default '';
-- The last sign that a disconnected worker's running build goes on (a step that finished after the disconnect).
alter table worker add column last_activity_at timestamp with time zone;

-- The history of a worker: connects and disconnects as before, and now pauses and unpauses (by anyone).
alter table worker_transition add column kind varchar(20);
update worker_transition set kind = case when connected then 'connected' else 'disconnected' end;
alter table worker_transition alter column kind set not null;
alter table worker_transition add column detail varchar(500);

-- Build requests waiting for a worker, per builder, as of the last workers poll (replaced each time).
create table waiting_builder (
    master                varchar(100) not null,
    builder_buildbot_id   bigint not null,
    waiting               integer not null,
    oldest_submitted_at   timestamp with time zone not null,
    read_at               timestamp with time zone not null,
    constraint pk_waiting_builder primary key (master, builder_buildbot_id)
);

-- Builds of a worker running for longer than classification.stuck-after (fleet_worker_stuck_builds).
alter table worker_health add column stuck_count integer not null default 0;
