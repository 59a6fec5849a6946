"""``--demo``: a throwaway data folder with the demo unit, vouchers and two signing tokens.

When SoftHSM2 is installed, the two demo signers get real PKCS#11 tokens (their PINs are
shown on screen), registered as the unit's signers, so a newcomer can sign in the demo; the
demo's signed vouchers carry real signatures made with them. Without SoftHSM2 the demo holds
drafts only: it never shows a voucher as signed that is not.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.demo.seed import advance, seed_demo
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import Lang
from treasury_desktop.settings import DEMO_SIGNERS, PKCS11_MODULES
from treasury_desktop.signing.demo_tokens import DemoTokens, provision_demo_tokens
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.signing import SigningRequest, SigningService
from treasury_desktop.usecases.tokens import ModuleSet


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
    PKCS11_MODULES.write(profile, [str(tokens.config.module_path)])
    DEMO_SIGNERS.write(profile, [
        {"role": s.role.value, "label": s.label, "pin": s.user_pin, "holder": s.holder_name}
        for s in tokens.signers
    ])
    return tokens


def sign_demo_vouchers(
    ctx: AppContext, tokens: DemoTokens, planned: list[tuple[str, VoucherState]]
) -> None:
    """Sign the demo vouchers that are past the draft stage, for real, with the demo tokens;
    then move them on to their treasury state."""
    conn = ctx.connect()
    repo, profile = ctx.repositories(conn)
    with TokenExecutor(name="demo-token") as executor:
        modules = executor.call(ModuleSet, [str(tokens.config.module_path)])
        try:
            service = SigningService(conn, executor, modules, Actor("demo", "signer"))
            for role, minimum in (
                (SignerRole.CHIEF_ACCOUNTANT, VoucherState.SIGNED_CHIEF),
                (SignerRole.ACCOUNT_HOLDER, VoucherState.SIGNED_HOLDER),
            ):
                ids = tuple(i for i, state in planned if _at_least(state, minimum))
                signer = tokens.signer(role)
                plan = service.prepare(SigningRequest(ids, role, token=signer.label))
                service.execute(plan, signer.user_pin)
        finally:
            executor.call(modules.close)
    for voucher_id, state in planned:
        if _at_least(state, VoucherState.QUEUED):
            advance(repo, voucher_id, state, after=VoucherState.SIGNED_HOLDER)


def _at_least(state: VoucherState, minimum: VoucherState) -> bool:
    order = list(VoucherState)
    if state in (VoucherState.REJECTED, VoucherState.RETURNED, VoucherState.PAID):
        return True
    return order.index(state) >= order.index(minimum)


@contextmanager
def open_demo(lang: Lang = "vi") -> Iterator[AppContext]:
    """Open a fresh demo data folder; it is deleted when the demo closes."""
    folder = Path(tempfile.mkdtemp(prefix="treasury-demo-"))
    ctx = AppContext(folder, lang=lang)
    try:
        repo, profile = ctx.repositories()
        drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, ctx.clock)
        planned = seed_demo(profile, drafting, ctx.clock())
        tokens = install_demo_tokens(ctx, folder / "tokens")
        if tokens is not None:
            sign_demo_vouchers(ctx, tokens, planned)
        yield ctx
    finally:
        ctx.close()
        shutil.rmtree(folder, ignore_errors=True)
