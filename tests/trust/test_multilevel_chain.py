"""Vietnamese public CAs issue through sub-CAs: a signer's certificate issued by an intermediate
that the CMS carries verifies up to a trusted root (through signing/chain.py), at the desk and at
the sandbox's door, and ``openssl cms -verify`` agrees on every case; a chain that reaches no
trusted root, an expired intermediate and an intermediate that is no CA are refused plainly."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from asn1crypto import cms
from tests.trust.levels import Levels, TokenSignature, make_levels, sign_on_softhsm
from treasury_sandbox_world import TOKEN, UNIT, document

from treasury_desktop.domain.canonical import canonical_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import Message
from treasury_desktop.sandbox.config import SandboxConfig, default_config
from treasury_desktop.sandbox.server import start_sandbox
from treasury_desktop.signing.verify import SignatureInvalid, verify_detached

DOC = document()
CONTENT = canonical_bytes(DOC)


class World:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.levels: Levels = make_levels(folder / "pki")
        levels = self.levels
        good, no_chain, expired, fake = sign_on_softhsm(folder, CONTENT, [
            (levels.intermediate, "Nguyễn Thị Lan", [levels.intermediate.cert_der]),
            (levels.intermediate, "Nguyễn Thị Lan (không kèm CA)", []),
            (levels.expired, "Trần Văn Minh", [levels.expired.cert_der]),
            (levels.not_a_ca, "Lê Văn Hùng", [levels.not_a_ca.cert_der]),
        ])
        self.good, self.no_chain, self.expired, self.fake = good, no_chain, expired, fake


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(tmp_path_factory.mktemp("levels"))


def refusal(signature: TokenSignature, roots: list[bytes]) -> Message:
    with pytest.raises(SignatureInvalid) as caught:
        verify_detached(CONTENT, signature.cms_der, trusted_roots=roots)
    return caught.value.message


def test_a_token_signature_under_a_sub_ca_verifies_up_to_the_trusted_root(
        world: World, tmp_path: Path, openssl_verify: Callable[..., int]) -> None:
    levels = world.levels
    [signer] = verify_detached(CONTENT, world.good.cms_der, trusted_roots=[levels.root.cert_der])
    assert signer.holder_name == "Nguyễn Thị Lan" and signer.role is SignerRole.CHIEF_ACCOUNTANT
    # openssl, given only the root, finds the sub-CA in the CMS too
    assert openssl_verify(CONTENT, world.good.cms_der, levels.ca_file(tmp_path, levels.root),
                          tmp_path / "ok") == 0


def test_a_chain_that_reaches_no_trusted_root_is_refused(
        world: World, tmp_path: Path, openssl_verify: Callable[..., int]) -> None:
    levels = world.levels
    # trusted: another root only
    said = refusal(world.good, [levels.stranger.cert_der])
    assert said.key == "signing.verify.untrusted"
    assert "Nguyễn Thị Lan" in said.render("vi")
    assert openssl_verify(CONTENT, world.good.cms_der, levels.ca_file(tmp_path, levels.stranger),
                          tmp_path / "stranger") != 0
    # the sub-CA neither in the CMS nor trusted: nothing leads to the root
    assert refusal(world.no_chain, [levels.root.cert_der]).key == "signing.verify.untrusted"
    assert openssl_verify(CONTENT, world.no_chain.cms_der, levels.ca_file(tmp_path, levels.root),
                          tmp_path / "no-chain") != 0


def test_an_expired_intermediate_is_refused_with_its_name_and_dates(
        world: World, tmp_path: Path, openssl_verify: Callable[..., int]) -> None:
    levels = world.levels
    said = refusal(world.expired, [levels.root.cert_der])
    assert said.key == "trust.chain.ca_not_valid"
    assert said.params["ca"] == "Levels Old Sub CA"
    text = said.render("en")
    assert "Trần Văn Minh" in text and "Levels Old Sub CA" in text and "not valid on" in text
    assert openssl_verify(CONTENT, world.expired.cms_der, levels.ca_file(tmp_path, levels.root),
                          tmp_path / "expired") != 0


def test_an_intermediate_that_is_no_ca_is_refused(
        world: World, tmp_path: Path, openssl_verify: Callable[..., int]) -> None:
    levels = world.levels
    said = refusal(world.fake, [levels.root.cert_der])
    assert said.key == "trust.chain.not_a_ca"
    assert "Levels Fake Sub CA" in said.render("vi")
    assert openssl_verify(CONTENT, world.fake.cms_der, levels.ca_file(tmp_path, levels.root),
                          tmp_path / "fake") != 0


def test_the_sandbox_door_builds_the_same_chains(world: World, tmp_path: Path) -> None:
    levels = world.levels
    config: SandboxConfig = default_config().with_trusted_ca(levels.root.cert_der).with_token(
        UNIT, TOKEN)
    for signature in (world.good, world.expired):
        config = config.with_signer(UNIT, signature.certificate_der,
                                    SignerRole.CHIEF_ACCOUNTANT)
    sandbox = start_sandbox(config, tmp_path / "sandbox.sqlite3")
    try:
        answers = {}
        for name, signature in (("good", world.good), ("expired", world.expired)):
            answers[name] = httpx.put(
                f"{sandbox.url}/v1/units/{UNIT}/documents/{DOC['id']}",
                json={"document": DOC, "signature": base64.b64encode(signature.cms_der).decode()},
                headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    finally:
        sandbox.stop()
    # the good chain passes the signature check; what is left is the missing second role
    good = [r for r in answers["good"].json()["reasons"] if r["field"] == "signature"]
    assert [r["code"] for r in good] == ["role_missing"], good
    expired = [r["code"] for r in answers["expired"].json()["reasons"]]
    assert expired == ["signature_invalid"]
    message = answers["expired"].json()["reasons"][0]["message_en"]
    assert "Levels Old Sub CA" in message


def test_a_desk_that_trusts_the_sub_ca_itself_needs_no_root(world: World) -> None:
    info = cms.ContentInfo.load(world.good.cms_der)
    carried = [c.chosen.dump() for c in info["content"]["certificates"]]
    assert world.levels.intermediate.cert_der in carried
    [signer] = verify_detached(CONTENT, world.good.cms_der,
                               trusted_roots=[world.levels.intermediate.cert_der])
    assert signer.holder_name == "Nguyễn Thị Lan"
