-- Signatures on vouchers (one CMS per voucher, grown by each signer) and the unit's signers.
CREATE TABLE signatures (
    voucher_id    TEXT NOT NULL REFERENCES vouchers (id) ON DELETE CASCADE,
    role          TEXT NOT NULL,
    cert_sha256   TEXT NOT NULL,
    signer_name   TEXT NOT NULL DEFAULT '',
    signed_at     TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    cms           BLOB NOT NULL,
    PRIMARY KEY (voucher_id, role)
);

CREATE TABLE signers (
    cert_sha256   TEXT NOT NULL,
    role          TEXT NOT NULL,
    holder_name   TEXT NOT NULL DEFAULT '',
    certificate   BLOB NOT NULL,
    token_label   TEXT NOT NULL DEFAULT '',
    token_serial  TEXT NOT NULL DEFAULT '',
    module_path   TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT 'local',
    added_at      TEXT NOT NULL,
    PRIMARY KEY (cert_sha256, role)
);
