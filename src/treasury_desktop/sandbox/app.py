"""The sandbox treasury: a Starlette application speaking API v1 (resources/api/openapi.yaml)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from treasury_desktop.domain.catalog import CatalogError, CatalogKind, load_catalog
from treasury_desktop.sandbox import guards
from treasury_desktop.sandbox.authority_routes import (
    TRUSTED_CA,
    authority_routes,
    trusted_ca_catalog,
)
from treasury_desktop.sandbox.batch import MAX_ITEMS, submit_batch
from treasury_desktop.sandbox.clerk import Clerk, Clock, estimates_of
from treasury_desktop.sandbox.config import SandboxConfig
from treasury_desktop.sandbox.documents import Submissions, status_view
from treasury_desktop.sandbox.faults import FaultMiddleware, FaultSpec
from treasury_desktop.sandbox.receipts import receipt_of
from treasury_desktop.sandbox.requests import (
    Refusal,
    authorized_unit,
    bearer_units,
    int_param,
    parse_json,
    read_body,
    refuse,
    require_json,
    voucher_id_of,
)
from treasury_desktop.sandbox.responses import JSONResponse, error
from treasury_desktop.sandbox.store import SandboxStore

API_VERSION = "1.0.0"
CAPABILITIES = (
    "documents",
    "documents-batch",
    "changes",
    "balances",
    "catalogs",
    "signers",
    "gzip-requests",
    "receipts",
)
Handler = Callable[[Request], Awaitable[Response]]


def utc_now() -> datetime:
    """The real clock (the default)."""
    return datetime.now(UTC)


@dataclass
class SandboxState:
    """What the running sandbox holds: reachable as ``app.state.sandbox`` (tests, demo)."""

    config: SandboxConfig
    store: SandboxStore
    clerk: Clerk
    submissions: Submissions
    clock: Clock

    def close(self) -> None:
        """Close the database."""
        self.store.close()


def _guarded(handler: Handler) -> Handler:
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Refusal as refusal:
            return refusal.response

    return run


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def _with_etag(request: Request, data: Any) -> Response:
    response = JSONResponse(data)
    tag = '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"'
    wanted = [
        t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")
    ]
    if tag in wanted or "*" in wanted:
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return response


async def health(request: Request) -> Response:
    return JSONResponse(
        {
            "status": "ok",
            "service": "KBNN sandbox",
            "api_version": API_VERSION,
            "capabilities": list(CAPABILITIES),
            "time": _state(request).clock().isoformat(),
        }
    )


async def put_document(request: Request) -> Response:
    state = _state(request)
    unit = authorized_unit(request, state.config)
    voucher_id = voucher_id_of(request)
    raw = await read_body(request, state.config.max_body_bytes)
    require_json(request)
    body = parse_json(raw)
    outcome = await run_in_threadpool(state.submissions.submit, unit, voucher_id, body)
    return JSONResponse(outcome.body, outcome.status)


async def post_batch(request: Request) -> Response:
    state = _state(request)
    unit = authorized_unit(request, state.config)
    raw = await read_body(request, state.config.max_body_bytes)
    require_json(request)
    body = parse_json(raw)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise refuse(400, "invalid_batch", "sandbox.error.invalid_batch", limit=MAX_ITEMS)
    results = await run_in_threadpool(submit_batch, state.submissions, unit, items)
    return JSONResponse(results)


async def get_document(request: Request) -> Response:
    state = _state(request)
    unit = authorized_unit(request, state.config)
    view = status_view(state.store, unit.code, voucher_id_of(request))
    if view is None:
        raise refuse(404, "document_not_found", "sandbox.error.document_not_found")
    return JSONResponse(view)


async def get_receipt(request: Request) -> Response:
    state = _state(request)
    unit = authorized_unit(request, state.config)
    voucher_id = voucher_id_of(request)
    if state.store.document(unit.code, voucher_id) is None:
        raise refuse(404, "document_not_found", "sandbox.error.document_not_found")
    receipt = await run_in_threadpool(receipt_of, state.store, state.config, unit, voucher_id)
    if receipt is None:
        raise refuse(404, "receipt_not_found", "sandbox.error.receipt_not_found")
    return JSONResponse(receipt)


async def changes(request: Request) -> Response:
    state = _state(request)
    unit = authorized_unit(request, state.config)
    after = int_param(request, "after", 0, 2**62, 0)
    limit = int_param(request, "limit", 1, 500, 100)
    events = state.store.changes(unit.code, after, limit + 1)
    page = events[:limit]
    return JSONResponse(
        {
            "changes": [
                {
                    "cursor": str(e.seq),
                    "id": e.id,
                    "status": e.status,
                    "detail": e.detail,
                    "reason": e.reason,
                    "at": e.at,
                    "content_hash": e.content_hash,
                }
                for e in page
            ],
            "next_cursor": str(page[-1].seq if page else after),
            "has_more": len(events) > limit,
        }
    )


async def balances(request: Request) -> Response:
    state = _state(request)
    unit = authorized_unit(request, state.config)
    year = int_param(request, "year", 2000, 2100, None)
    spent = state.store.spent(unit.code, year)
    items = [
        {
            "chapter": k[0],
            "industry": k[1],
            "source": k[2],
            "estimate": amount,
            "spent": spent.get(k, 0),
            "remaining": amount - spent.get(k, 0),
        }
        for k, amount in sorted(estimates_of(unit, year).items())
    ]
    return _with_etag(request, {"unit": unit.code, "fiscal_year": year, "items": items})


async def signers(request: Request) -> Response:
    state = _state(request)
    unit = authorized_unit(request, state.config)
    listed = []
    for s in unit.signers:
        cert = s.certificate()
        listed.append(
            {
                "cert_sha256": s.cert_sha256,
                "role": s.role.value,
                "name": s.holder_name(),
                "certificate": base64.b64encode(s.certificate_der).decode(),
                "not_before": cert.not_valid_before_utc.isoformat(),
                "not_after": cert.not_valid_after_utc.isoformat(),
            }
        )
    return JSONResponse({"unit": unit.code, "signers": listed})


async def catalog(request: Request) -> Response:
    state = _state(request)
    bearer_units(request, state.config)
    name = request.path_params["name"]
    year = int_param(request, "year", 2000, 2100, None)
    if name == TRUSTED_CA:
        return _with_etag(request, trusted_ca_catalog(state.config, year))
    if name not in {k.value for k in CatalogKind}:
        raise refuse(404, "catalog_not_found", "sandbox.error.catalog_not_found", name=name[:40])
    try:
        loaded = load_catalog(year)
    except CatalogError:
        raise refuse(404, "catalog_not_found", "sandbox.error.catalog_year", year=year) from None
    entries = [
        {"code": e.code, "name": e.name, "parent": e.parent}
        for e in loaded.codes(CatalogKind(name))
    ]
    return _with_etag(
        request, {"name": name, "fiscal_year": year, "version": loaded.version, "entries": entries}
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        return error(405, "method_not_allowed", "sandbox.error.method")
    if status == 404:
        return error(404, "not_found", "sandbox.error.not_found")
    return error(status if status >= 400 else 500, "server_error", "sandbox.error.internal")


def create_app(
    config: SandboxConfig,
    db_path: Path | str,
    faults: FaultSpec | None = None,
    speed: float = 1.0,
    seed: int | None = None,
    clock: Clock | None = None,
    tick_seconds: float = 0.05,
) -> Starlette:
    """The sandbox application over its own SQLite file; ``clock`` is the treasury's time."""
    now = clock or utc_now
    store = SandboxStore(db_path)
    clerk = Clerk(store, config, now, speed, seed)
    state = SandboxState(config, store, clerk, Submissions(config, store, clerk, now), now)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def work() -> None:
            while True:
                await asyncio.sleep(tick_seconds)
                await run_in_threadpool(clerk.run_due)

        task = asyncio.create_task(work())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            state.close()

    unit_path = "/v1/units/{unit}"
    routes = [
        Route("/v1/health", _guarded(health), methods=["GET"]),
        Route(unit_path + "/documents/{id}", _guarded(put_document), methods=["PUT"]),
        Route(unit_path + "/documents/{id}", _guarded(get_document), methods=["GET"]),
        Route(unit_path + "/documents/{id}/receipt", _guarded(get_receipt), methods=["GET"]),
        Route(unit_path + "/documents:batch", _guarded(post_batch), methods=["POST"]),
        Route(unit_path + "/changes", _guarded(changes), methods=["GET"]),
        Route(unit_path + "/balances", _guarded(balances), methods=["GET"]),
        Route(unit_path + "/signers", _guarded(signers), methods=["GET"]),
        Route("/v1/catalogs/{name}", _guarded(catalog), methods=["GET"]),
        *authority_routes(config, _guarded),
    ]
    middleware = [
        Middleware(guards.HeadGuard),
        Middleware(FaultMiddleware, spec=faults or FaultSpec(), seed=seed),
        Middleware(GZipMiddleware, minimum_size=512),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _http_error},
    )
    app.state.sandbox = state
    return app
