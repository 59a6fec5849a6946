-- Countersigning across desks (gói chứng từ): packages received from other desks, and what
-- each brought for each voucher. A row changes only when an import changes its outcome, so
-- importing the same package twice writes nothing.
CREATE TABLE package_imports (
    package_id    TEXT PRIMARY KEY,
    desk_id       TEXT NOT NULL,
    desk_name     TEXT NOT NULL DEFAULT '',
    sender        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    file_name     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE package_arrivals (
    package_id       TEXT NOT NULL REFERENCES package_imports (package_id),
    voucher_id       TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    queued_elsewhere INTEGER NOT NULL DEFAULT 0,
    arrived_at       TEXT NOT NULL,
    PRIMARY KEY (package_id, voucher_id)
);
CREATE INDEX package_arrivals_voucher ON package_arrivals (voucher_id, arrived_at);
CREATE INDEX package_arrivals_recent ON package_arrivals (arrived_at DESC);
