"""What ``scripts/package.sh --smoke`` prepares before it runs the packaged app: run with the
build's venv, never by the packaged app itself (the smoke checks the app, these are its inputs).

    python packaging/smoke_fixtures.py unit DATA_DIR
        the desk's unit in DATA_DIR (as the setup assistant records it), so that a sheet of
        vouchers imports;
    python packaging/smoke_fixtures.py tokens FOLDER
        two SoftHSM2 tokens with certificates from a throwaway CA (the ``--demo`` tokens); prints
        ``SOFTHSM2_CONF MODULE LABEL PIN`` of the chief accountant's, or nothing when SoftHSM2 is
        not installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import Unit
from treasury_desktop.signing.demo_tokens import provision_demo_tokens

SMOKE_UNIT = Unit("1171277", "Trường THCS Phú Lương", "9523.2.1171277", "0011")


def set_unit(data_dir: Path) -> None:
    """Record SMOKE_UNIT as the desk's unit in ``data_dir``."""
    ctx = AppContext(data_dir=data_dir)
    try:
        _, profile = ctx.repositories()
        profile.set_unit(SMOKE_UNIT)
    finally:
        ctx.close()


def make_tokens(folder: Path) -> str:
    """The demo tokens in ``folder``; the chief accountant's as one line, or "" without SoftHSM2."""
    tokens = provision_demo_tokens(folder)
    if tokens is None:
        return ""
    chief = tokens.signer(SignerRole.CHIEF_ACCOUNTANT)
    return f"{tokens.config.conf_path} {tokens.config.module_path} {chief.label} {chief.user_pin}"


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("unit", "tokens"):
        sys.exit(__doc__)
    if sys.argv[1] == "unit":
        set_unit(Path(sys.argv[2]))
    else:
        print(make_tokens(Path(sys.argv[2])))
