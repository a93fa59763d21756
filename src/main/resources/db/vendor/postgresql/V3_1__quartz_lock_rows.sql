-- Quartz inserts its two lock rows on first use. Instances that start together on an empty database could
-- both try, and on PostgreSQL the loser's transaction is aborted (its startup fails). Created here once
-- instead, for Spring Boot's default scheduler name (spring.quartz.scheduler-name).
insert into qrtz_locks (sched_name, lock_name) values ('quartzScheduler', 'TRIGGER_ACCESS');
insert into qrtz_locks (sched_name, lock_name) values ('quartzScheduler', 'STATE_ACCESS');
