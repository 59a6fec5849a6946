-- The audit log becomes a hash chain: each entry carries the hash of the entry before it
-- (prev_hash) and the hash of its own content joined to that (entry_hash). Entries written
-- before this version are chained in order by the upgrade (store/audit_chain.py), then the
-- append-only triggers come back.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN entry_hash TEXT;
DROP TRIGGER audit_no_update;
