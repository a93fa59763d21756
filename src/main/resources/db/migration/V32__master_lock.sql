-- One row per master and scope, locked (select ... for update) by the transaction that works on that part of the
-- master, so two instances of a cluster never do it at once: classifying it, storing its workers (a poll or what
-- its stream heard), storing its builders and builds. Replaces classification_lock, which held the first only.
create table master_lock (
    scope   varchar(40)  not null,
    master  varchar(100) not null,
    primary key (scope, master)
);
drop table classification_lock;
