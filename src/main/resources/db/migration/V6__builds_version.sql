-- Moved by every transaction that writes a master's builds. An instance keeps the recent builds of each master
-- in memory for classification (BuildWindows) and reads them from the database again only when the version
-- shows a write it did not make itself, such as another instance's.
alter table master_state add column builds_version bigint not null default 0;
