-- The recipient's display name, for the To header (RFC 2047-encoded when it is not ASCII). Kept apart from the
-- address, which stays the outbox key: an owner who changes how their name is written gets no second digest.
alter table outbox_message add column recipient_name varchar(300);

