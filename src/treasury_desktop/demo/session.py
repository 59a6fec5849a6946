"""``--demo``: a throwaway data folder with the demo unit, vouchers and two signing tokens.

When SoftHSM2 is installed, the two demo signers get real PKCS#11 tokens (their PINs are
shown on screen), registered as the unit's signers, so a newcomer can sign in the demo.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.demo.seed import seed_demo
from treasury_desktop.i18n import Lang
from treasury_desktop.signing.demo_tokens import DemoTokens, provision_demo_tokens
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.tokens import USER_MODULES_KEY

DEMO_SIGNERS_KEY = "demo_signers"
"""Profile key: the demo tokens' labels, holders and PINs, for the window to show."""


def install_demo_tokens(ctx: AppContext, folder: Path) -> DemoTokens | None:
    """Make the demo tokens and register their certificates for their roles."""
    tokens = provision_demo_tokens(folder)
    if tokens is None:
        return None
    conn = ctx.connect()
    profile = ProfileStore(conn)
    registry = SignerRegistry(conn)
    actor = Actor("demo", "admin")
    for signer in tokens.signers:
        registry.add(
            RegisteredSigner(
                signer.cert_sha256, signer.role, signer.holder_name, signer.certificate_der,
                token_label=signer.label, module_path=str(tokens.config.module_path),
                source="demo",
            ),
            actor=actor,
        )
    profile.set(USER_MODULES_KEY, [str(tokens.config.module_path)])
    profile.set(DEMO_SIGNERS_KEY, [
        {"role": s.role.value, "label": s.label, "pin": s.user_pin, "holder": s.holder_name}
        for s in tokens.signers
    ])
    return tokens


@contextmanager
def open_demo(lang: Lang = "vi") -> Iterator[AppContext]:
    """Open a fresh demo data folder; it is deleted when the demo closes."""
    folder = Path(tempfile.mkdtemp(prefix="treasury-demo-"))
    ctx = AppContext(folder, lang=lang)
    try:
        repo, profile = ctx.repositories()
        drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, ctx.clock)
        seed_demo(repo, profile, drafting, ctx.clock())
        install_demo_tokens(ctx, folder / "tokens")
        yield ctx
    finally:
        ctx.close()
        shutil.rmtree(folder, ignore_errors=True)
