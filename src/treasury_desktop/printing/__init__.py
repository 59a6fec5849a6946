"""Paper: the voucher forms on A4 (fpdf2), the QR code, the signers' stamps (no Qt here)."""
