-- The outbox (hộp thư đi): one item per queued voucher with the exact bytes and CMS captured at
-- queue time, its delivery state, attempts and the server's last word. Rows stay after delivery
-- as the record of what was sent; "in the outbox" means state pending or in_flight.
CREATE TABLE outbox (
    voucher_id      TEXT PRIMARY KEY REFERENCES vouchers (id),
    unit            TEXT NOT NULL,
    state           TEXT NOT NULL,
    document        BLOB NOT NULL,
    signature       BLOB NOT NULL,
    content_hash    TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    maybe_committed INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    outcome         TEXT NOT NULL DEFAULT '',
    reasons         TEXT NOT NULL DEFAULT '[]',
    queued_at       TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- The whole outbox is paused (authentication or configuration error, or by the user).
CREATE TABLE outbox_pause (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    reason     TEXT NOT NULL,
    paused_at  TEXT NOT NULL
);

-- Each voucher's timeline: desk events (queued, sent, refused) and the treasury's changes feed.
CREATE TABLE status_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    voucher_id  TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    UNIQUE (voucher_id, source, status, at, detail)
);
CREATE INDEX status_events_voucher ON status_events (voucher_id, seq);

-- Where the changes feed was read up to, per unit; moved in the same transaction as its page.
CREATE TABLE sync_cursor (
    unit        TEXT PRIMARY KEY,
    cursor      TEXT NOT NULL,
    synced_at   TEXT NOT NULL
);

-- Cached server resources (balances per unit and year, catalogues) with their ETag, for offline use.
CREATE TABLE server_cache (
    key         TEXT PRIMARY KEY,
    etag        TEXT,
    body        TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
);
