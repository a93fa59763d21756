-- When fleet-health last saw a worker unpaused: build requests that waited while it was paused are not its fault.
alter table worker add column unpaused_at timestamp with time zone;
