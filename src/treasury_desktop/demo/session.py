"""``--demo``: a throwaway data folder with the demo unit, vouchers and two signing tokens.

When SoftHSM2 is installed, the two demo signers get real PKCS#11 tokens (their PINs are
shown on screen), registered as the unit's signers, so a newcomer can sign in the demo; the
demo's signed vouchers carry real signatures made with them. Without SoftHSM2 the demo holds
drafts only: it never shows a voucher as signed that is not.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from treasury_desktop.api.connection import Connection, save_connection
from treasury_desktop.api.credentials import TOKEN_ENV
from treasury_desktop.context import AppContext
from treasury_desktop.demo.authority import demo_authority
from treasury_desktop.demo.receipts import demo_receipt_signer
from treasury_desktop.demo.seed import DEMO_UNIT, advance, seed_demo
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import FINAL, ON_THE_WAY, VoucherState
from treasury_desktop.i18n import Lang
from treasury_desktop.sandbox.config import default_config
from treasury_desktop.sandbox.server import RunningSandbox, start_sandbox
from treasury_desktop.settings import DEMO_SIGNERS, PKCS11_MODULES, TSA_URL
from treasury_desktop.signing.demo_tokens import DemoTokens, provision_demo_tokens
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.queueing import QueueService
from treasury_desktop.usecases.signing import SigningRequest, SigningService
from treasury_desktop.usecases.tokens import ModuleSet
from treasury_desktop.usecases.trust import open_trust_store

DEMO_CREDENTIAL = "demo-1171277"  # the built-in sandbox configuration's desk credential
DEMO_SPEED = 30.0  # the sandbox clerk works 30× faster than a real one: a step every 2 s


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
    open_trust_store(ctx.data_dir).add(tokens.ca.cert_der)  # the demo desk trusts its demo CA
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
    # Vouchers on their way go into the real outbox (the window sends them to the sandbox);
    # those the treasury finished with are history from before the demo began.
    on_the_way = [i for i, state in planned if state in ON_THE_WAY]
    QueueService(conn, Actor("demo", "accountant"), lambda: datetime.now(UTC)).queue(on_the_way)
    for voucher_id, state in planned:
        if state in FINAL:
            advance(repo, voucher_id, state, after=VoucherState.SIGNED_HOLDER)




def start_demo_treasury(ctx: AppContext, tokens: DemoTokens | None, folder: Path) -> RunningSandbox:
    """The sandbox treasury on 127.0.0.1, trusting the demo CA and signers; the desk is
    connected to it with the demo unit's credential."""
    config = default_config()
    if tokens is not None:
        config = replace(config.with_trusted_ca(tokens.ca.cert_der),
                         authority=demo_authority(tokens.ca))
        for signer in tokens.signers:
            config = config.with_signer(
                DEMO_UNIT.code, signer.certificate_der, signer.role, signer.holder_name
            )
    config = config.with_receipt_signer(demo_receipt_signer(ctx.data_dir, folder))
    sandbox = start_sandbox(config, folder / "sandbox.sqlite3", speed=DEMO_SPEED, seed=7)
    _, profile = ctx.repositories()
    save_connection(profile, Connection(sandbox.url, DEMO_UNIT.code))
    if tokens is not None:  # signatures made in the demo window get the sandbox's timestamp
        TSA_URL.write(profile, f"{sandbox.url}/tsa")
    return sandbox


def _at_least(state: VoucherState, minimum: VoucherState) -> bool:
    order = list(VoucherState)
    if state in FINAL:
        return True
    return order.index(state) >= order.index(minimum)


@contextmanager
def open_demo(lang: Lang = "vi") -> Iterator[AppContext]:
    """Open a fresh demo data folder with its own sandbox treasury; both go when it closes."""
    folder = Path(tempfile.mkdtemp(prefix="treasury-demo-"))
    ctx = AppContext(folder, lang=lang)
    sandbox: RunningSandbox | None = None
    previous_token = os.environ.get(TOKEN_ENV)
    try:
        repo, profile = ctx.repositories()
        drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, ctx.clock)
        planned = seed_demo(profile, drafting, ctx.clock())
        tokens = install_demo_tokens(ctx, folder / "tokens")
        if tokens is not None:
            sign_demo_vouchers(ctx, tokens, planned)
        sandbox = start_demo_treasury(ctx, tokens, folder)
        # The demo desk's credential: a practice token of the sandbox, not a secret.
        os.environ[TOKEN_ENV] = DEMO_CREDENTIAL
        yield ctx
    finally:
        if previous_token is None:
            os.environ.pop(TOKEN_ENV, None)
        else:
            os.environ[TOKEN_ENV] = previous_token
        if sandbox is not None:
            sandbox.stop()
        ctx.close()
        shutil.rmtree(folder, ignore_errors=True)
