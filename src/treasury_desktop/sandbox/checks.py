"""What the treasury checks at the door (tiếp nhận), before a document gets a reference number.

Everything that makes a voucher unacceptable as sent is refused at once with 422 and every
reason: its shape, its unit and account, its codes in that fiscal year, its total, and its
signatures (valid CMS over exactly the canonical bytes, registered signers in their roles, with
certificates valid at signing time and chained to a trusted CA, both roles in order). Whether
the money is there (the budget estimate) is the clerk's later decision: ``rejected``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from treasury_desktop.domain.catalog import CatalogError, load_catalog
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.domain.validation import check_declared, review
from treasury_desktop.domain.voucher import DocumentShapeError, declared_values, from_document
from treasury_desktop.i18n import Message
from treasury_desktop.sandbox.config import SandboxConfig, UnitConfig
from treasury_desktop.signing.verify import SignatureInvalid, signer_order_ok, verify_detached


@dataclass(frozen=True)
class Reason:
    """One reason a document is refused at the door, in both languages."""

    code: str
    field: str
    message: str
    message_en: str

    def as_json(self) -> dict[str, str]:
        """The API form: {code, field, message, message_en}."""
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "message_en": self.message_en,
        }


def _render(message: Message) -> tuple[str, str]:
    try:
        return message.render("vi"), message.render("en")
    except (KeyError, IndexError, ValueError):  # a message not yet translated: say its key
        return message.key, message.key


def from_problem(problem: Problem) -> Reason:
    """A validation problem as a reason."""
    vi, en = _render(Message(f"problem.{problem.code}", problem.params))
    return Reason(problem.code, problem.field, vi, en)


def reason(code: str, field: str, **params: Any) -> Reason:
    """A sandbox reason with its message ``sandbox.reason.<code>``."""
    vi, en = _render(Message(f"sandbox.reason.{code}", params))
    return Reason(code, field, vi, en)


_ROLE_NAMES = {
    SignerRole.CHIEF_ACCOUNTANT: ("kế toán trưởng", "chief accountant"),
    SignerRole.ACCOUNT_HOLDER: ("chủ tài khoản", "account holder"),
}


def _role(name: str, role: SignerRole) -> dict[str, str]:
    vi, en = _ROLE_NAMES[role]
    return {f"{name}_vi": vi, f"{name}_en": en}


def read_envelope(body: Any) -> tuple[Mapping[str, Any] | None, bytes | None, list[Reason]]:
    """The ``{document, signature}`` of a PUT body, or the reasons it cannot be read."""
    if not isinstance(body, Mapping):
        return None, None, [reason("body_not_object", "")]
    reasons = [reason("field_unknown", str(k)) for k in body if k not in ("document", "signature")]
    document = body.get("document")
    if not isinstance(document, Mapping):
        reasons.append(reason("document_missing", "document"))
        document = None
    raw = body.get("signature")
    signature = None
    if not isinstance(raw, str) or not raw:
        reasons.append(reason("signature_missing", "signature"))
    else:
        try:
            signature = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            reasons.append(reason("signature_base64", "signature"))
    return document, signature, reasons


def check_document(
    unit: UnitConfig, voucher_id: str, document: Mapping[str, Any], today: date
) -> list[Reason]:
    """Shape, identity, unit and account, codes of the fiscal year, total and words."""
    try:
        voucher = from_document(document)
    except DocumentShapeError as error:
        return [from_problem(p) for p in error.problems]
    reasons: list[Reason] = []
    if voucher.id != voucher_id:
        reasons.append(reason("id_mismatch", "id", path_id=voucher_id, document_id=voucher.id))
    if voucher.unit.code != unit.code:
        reasons.append(
            reason("unit_mismatch", "unit.code", unit=unit.code, document_unit=voucher.unit.code)
        )
    elif voucher.unit.account != unit.account:
        reasons.append(
            reason(
                "account_mismatch",
                "unit.account",
                account=unit.account,
                document_account=voucher.unit.account,
            )
        )
    if voucher.unit.treasury and voucher.unit.treasury != unit.treasury:
        reasons.append(
            reason(
                "treasury_mismatch",
                "unit.treasury",
                treasury=unit.treasury,
                document_treasury=voucher.unit.treasury,
            )
        )
    try:
        catalog = load_catalog(voucher.fiscal_year)
    except CatalogError:
        reasons.append(
            from_problem(
                Problem("fiscal_year", "fiscal_year.no_catalog", {"year": voucher.fiscal_year})
            )
        )
    else:
        found = review(voucher, catalog, today=today)
        reasons.extend(from_problem(p) for p in found.problems)
        # On the desk an unknown code only warns; here the treasury's own list decides.
        for w in found.warnings:
            if w.code.endswith(".unknown"):
                said = reason("code_unknown", w.field, value=w.params["value"],
                              year=voucher.fiscal_year)
                reasons.append(replace(said, code=w.code))
    declared = declared_values(document)
    if "total" not in declared:
        reasons.append(reason("total_missing", "total"))
    if voucher.withholds_tax and not {"tax_total", "payee_total"} <= declared.keys():
        reasons.append(reason("split_missing", "payee_total"))
    reasons.extend(from_problem(p) for p in check_declared(voucher, declared))
    return reasons


MAX_SIGNATURE_AGE = timedelta(days=60)


def check_signatures(
    config: SandboxConfig, unit: UnitConfig, content: bytes, cms_der: bytes, now: datetime
) -> list[Reason]:
    """The CMS over exactly ``content``: registered signers, roles, validity, trust, order."""
    try:
        signers = verify_detached(content, cms_der, trusted_roots=config.trusted_cas, at=now)
    except SignatureInvalid as error:
        vi, en = _render(error.message)
        return [Reason("signature_invalid", "signature", vi, en)]
    reasons: list[Reason] = []
    registered = {s.cert_sha256: s for s in unit.signers}
    for signer in signers:
        entry = registered.get(signer.cert_sha256)
        if entry is None:
            reasons.append(
                reason(
                    "signer_not_registered",
                    "signature",
                    holder=signer.holder_name,
                    sha256=signer.cert_sha256[:16],
                    unit=unit.code,
                )
            )
        elif entry.role != signer.role:
            reasons.append(
                reason(
                    "signer_wrong_role",
                    "signature",
                    holder=signer.holder_name,
                    **_role("role", signer.role),
                    **_role("registered", entry.role),
                )
            )
    authority = config.authority
    for signer in signers if authority is not None else ():
        assert authority is not None
        # Revoked before receipt, unless a trusted timestamp proves it signed earlier: the
        # signing time alone is the signer's claim (a PC clock set back).
        proven = signer.timestamp
        revoked = authority.revoked_before(signer.certificate_der, proven or now)
        if revoked is not None:
            code = "certificate_revoked" if proven is not None else "revoked_before_receipt"
            reasons.append(reason(code, "signature", holder=signer.holder_name,
                                  time=revoked.strftime("%H:%M %d/%m/%Y UTC")))
    roles = [s.role for s in signers]
    missing = [r for r in SIGNING_ORDER if r not in roles]
    for role in missing:
        reasons.append(reason("role_missing", "signature", **_role("role", role)))
    if len({s.cert_sha256 for s in signers}) < len(signers):
        reasons.append(reason("same_certificate", "signature"))
    for signer in signers:
        # A signing time is the signer's own claim: one far older than the upload is how an
        # expired certificate would be made to look valid (a PC clock set back).
        if signer.signing_time < now - MAX_SIGNATURE_AGE:
            reasons.append(reason("signed_too_long_ago", "signature", holder=signer.holder_name,
                                  days=MAX_SIGNATURE_AGE.days))
    if len(roles) > len(set(roles)):
        reasons.append(reason("role_repeated", "signature"))
    elif not missing and not signer_order_ok(signers):
        reasons.append(reason("order", "signature"))
    return reasons


def unique(reasons: Sequence[Reason]) -> list[Reason]:
    """Reasons without repeats, in order."""
    result: list[Reason] = []
    for item in reasons:
        if item not in result:
            result.append(item)
    return result
