"""treasury-desktop: draft, sign and send State Treasury payment vouchers (chứng từ KBNN)."""

__version__ = "0.1.0"
