-- The treasury's receipts (chứng từ báo nợ), kept verified for offline reprinting.
CREATE TABLE receipts (
    voucher_id TEXT PRIMARY KEY REFERENCES vouchers(id) ON DELETE CASCADE,
    envelope TEXT NOT NULL,          -- the signed JSON exactly as the treasury sent it
    reference TEXT NOT NULL,
    dossier TEXT NOT NULL,
    accounting_date TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
