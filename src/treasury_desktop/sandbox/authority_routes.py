"""HTTP for the sandbox's CA services: ``POST /ocsp``, ``POST /tsa``, and the admin call
``POST /v1/admin/revocations`` that revokes a certificate while the sandbox runs."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from cryptography import x509
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from treasury_desktop.sandbox.authority import AuthorityError, SandboxAuthority
from treasury_desktop.sandbox.config import SandboxConfig
from treasury_desktop.sandbox.requests import parse_json, read_body, refuse
from treasury_desktop.sandbox.responses import JSONResponse
from treasury_desktop.signing.certificates import sha256_hex

TRUSTED_CA = "trusted_ca"
Handler = Callable[[Request], Awaitable[Response]]
Guard = Callable[[Handler], Handler]
MAX_REQUEST = 64_000


def authority_routes(config: SandboxConfig, guarded: Guard) -> list[Route]:
    """The routes, when the configuration has an ``authority`` (none otherwise)."""
    authority = config.authority
    if authority is None:
        return []
    responder = authority.responder()
    tsa = authority.tsa()
    known = tuple(s.certificate_der for u in config.units for s in u.signers)

    async def ocsp(request: Request) -> Response:
        body = await read_body(request, MAX_REQUEST)
        return Response(responder.respond(body), media_type="application/ocsp-response")

    async def timestamp(request: Request) -> Response:
        if tsa is None:
            raise refuse(404, "not_found", "sandbox.error.no_authority")
        body = await read_body(request, MAX_REQUEST)
        return Response(tsa.respond(body), media_type="application/timestamp-reply")

    async def revoke(request: Request) -> Response:
        data = parse_json(await read_body(request, MAX_REQUEST))
        if not isinstance(data, dict):
            raise refuse(400, "bad_request", "sandbox.error.bad_revocation", reason="{…}")
        return _revoke(authority, data, known)

    return [
        Route("/ocsp", guarded(ocsp), methods=["POST"]),
        Route("/tsa", guarded(timestamp), methods=["POST"]),
        Route("/v1/admin/revocations", guarded(revoke), methods=["POST"]),
    ]


def _revoke(authority: SandboxAuthority, data: dict[str, object],
            known: tuple[bytes, ...]) -> Response:
    try:
        raw_at = data.get("at")
        at = datetime.fromisoformat(str(raw_at)) if raw_at else None
        serial = authority.revoke(sha256=str(data.get("sha256", "")),
                                  serial=str(data.get("serial", "")), at=at, known=known)
    except (AuthorityError, ValueError) as error:
        raise refuse(400, "bad_request", "sandbox.error.bad_revocation",
                     reason=str(error)[:200]) from None
    when = authority.revocations.revoked_at(serial)
    return JSONResponse({"serial": format(serial, "X"),
                         "revoked_at": when.isoformat() if when else None})


def trusted_ca_catalog(config: SandboxConfig, year: int) -> dict[str, Any]:
    """The catalogue ``trusted_ca``: the CAs the sandbox trusts (and its own CA)."""
    ders = list(dict.fromkeys(
        (*config.trusted_cas, *((config.authority.ca_der,) if config.authority else ()))))
    entries = []
    for der in ders:
        cert = x509.load_der_x509_certificate(der)
        entries.append({"code": sha256_hex(der), "name": cert.subject.rfc4514_string(),
                        "parent": None, "certificate": base64.b64encode(der).decode()})
    version = sha256_hex(b"".join(sorted(ders)))[:16]
    return {"name": TRUSTED_CA, "fiscal_year": year, "version": version, "entries": entries}
