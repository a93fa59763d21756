-- What the classification made of the failed builds of each master's stable builders (issue 17). Written by the
-- instance that classified, read by every instance that evaluates the release gate, so that all of them tell a
-- host's failure from the code's the same way (in clustered mode only the instance that polled classifies).
create table gate_judgement (
    master    varchar(100)  not null,
    build_id  bigint        not null,
    worker    varchar(200),
    outcome   varchar(20)   not null,
    reason    varchar(2000),
    primary key (master, build_id)
);
