-- When each master's workers were last classified. Kept once per master rather than on every judgement, so
-- a round rewrites only the judgements that changed (worker_health.classified_at is now when the judgement
-- last changed).
create table classification_round (
    master         varchar(100) primary key,
    classified_at  timestamp with time zone not null
);
