-- The payee directory (danh mục đơn vị nhận tiền): payees imported from a list, offered by the
-- editor next to the payees used before. One row per name and account.
CREATE TABLE payee_directory (
    key          TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    account      TEXT NOT NULL DEFAULT '',
    bank         TEXT NOT NULL DEFAULT '',
    tax_code     TEXT NOT NULL DEFAULT '',
    imported_at  TEXT NOT NULL
);
CREATE INDEX payee_directory_name ON payee_directory (name COLLATE NOCASE);
