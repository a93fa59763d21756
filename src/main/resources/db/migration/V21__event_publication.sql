-- Spring Modulith's event publication registry (JPA, 2.0 layout): one row per event and listener, written in
-- the transaction that publishes the event and deleted once the listener completed
-- (spring.modulith.events.completion-mode=delete). A row that stays is a reaction that failed or was cut short
-- by a stop; fleet-health.events.* resubmits it. Events carry names and instants, not reports.
create table event_publication (
    id                      uuid primary key,
    listener_id             varchar(512) not null,
    event_type              varchar(512) not null,
    serialized_event        varchar(100000) not null,
    publication_date        timestamp with time zone not null,
    completion_date         timestamp with time zone,
    status                  varchar(32),
    completion_attempts     integer not null default 0,
    last_resubmission_date  timestamp with time zone
);

create index event_publication_incomplete on event_publication (completion_date, publication_date);

-- One row per master, locked (select ... for update) by the transaction that classifies the master, so two
-- instances of a cluster never judge the same master at once.
create table classification_lock (
    master  varchar(100) primary key
);
