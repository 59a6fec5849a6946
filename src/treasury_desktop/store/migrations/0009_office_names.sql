-- The treasury office names a voucher was drafted with (issue 11): office codes change between
-- catalogue years, and a stored voucher must keep showing and printing the name it was drafted
-- with. Kept beside the voucher, not in its signed document (DESIGN.md fixes those fields).
CREATE TABLE voucher_office_names (
    voucher_id TEXT NOT NULL REFERENCES vouchers(id) ON DELETE CASCADE,
    field      TEXT NOT NULL,     -- the document path of the code: unit.treasury, tax.treasury
    code       TEXT NOT NULL,     -- the mã KBNN the name belongs to
    name       TEXT NOT NULL,
    kept_at    TEXT NOT NULL,
    PRIMARY KEY (voucher_id, field)
);
