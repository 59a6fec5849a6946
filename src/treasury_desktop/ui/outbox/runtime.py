"""The window's outbox: one sender (and a status sync once connected) for the open data folder.

The treasury client is made on first use, on the sender's thread: reading the keyring (D-Bus on
Linux) never happens on the GUI thread, and a desk that is not connected yet simply pauses the
outbox with a plain reason the first time it has something to send.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from treasury_desktop.api.connection import load_connection, open_client
from treasury_desktop.api.credentials import KeyringCredentialStore
from treasury_desktop.api.errors import ApiError
from treasury_desktop.context import AppContext
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.outbox.adapter import ClientPort, translate
from treasury_desktop.outbox.port import (
    BatchPort,
    ChangesPage,
    DocumentState,
    Fetched,
    SubmitAnswer,
    TreasuryFailure,
    TreasuryMisconfigured,
    TreasuryPort,
)
from treasury_desktop.outbox.runlock import SenderLock
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.sync.service import StatusSync
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.outbox.window_parts import OutboxWindowParts

log = logging.getLogger(__name__)


class ConnectedPort:
    """The saved connection's treasury port, made when first needed (any thread but the GUI)."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._port: ClientPort | None = None

    def _get(self) -> TreasuryPort:
        with self._lock:
            if self._port is None:
                conn = self._ctx.connect()
                try:
                    client = open_client(ProfileStore(conn), KeyringCredentialStore())
                except ApiError as error:
                    raise translate(error) from error
                except ExpectedError as error:  # no usable keyring: say how to go on
                    raise TreasuryMisconfigured(error.message.key,
                                                message=error.message) from error
                self._port = ClientPort(client)
            return self._port

    def submit(self, unit: str, document_id: str, document: bytes,
               signature: bytes) -> SubmitAnswer:
        """PUT through the real client."""
        return self._get().submit(unit, document_id, document, signature)

    def batch_limit(self, unit: str) -> int:
        """The real client's batch size; 1 while there is no client (the PUT says why)."""
        try:
            port = self._get()
        except TreasuryFailure:
            return 1
        return port.batch_limit(unit) if isinstance(port, BatchPort) else 1

    def submit_batch(self, unit: str,
                     items: Sequence[tuple[str, bytes, bytes]]) -> Sequence[SubmitAnswer]:
        """Several documents in one request (only after ``batch_limit`` said so)."""
        port = self._get()
        assert isinstance(port, BatchPort)
        return port.submit_batch(unit, items)

    def get_status(self, unit: str, document_id: str) -> DocumentState | None:
        """The document's status."""
        return self._get().get_status(unit, document_id)

    def changes(self, unit: str, after: str | None, limit: int) -> ChangesPage:
        """The changes feed."""
        return self._get().changes(unit, after, limit)

    def balances(self, unit: str, year: int, etag: str | None) -> Fetched:
        """Balances with an ETag."""
        return self._get().balances(unit, year, etag)

    def catalog(self, name: str, year: int, etag: str | None) -> Fetched:
        """A budget-code list with ETag."""
        return self._get().catalog(name, year, etag)

    def close(self) -> None:
        """Close the client's connections, if one was made."""
        with self._lock:
            if self._port is not None:
                self._port.close()
                self._port = None


class OutboxRuntime:
    """Starts the sender (when no other sender holds the data folder) and the status sync,
    and puts the outbox's parts into ``window``. :meth:`close` before the session closes."""

    def __init__(self, window: MainWindow, *, send: bool = True,
                 use_tray: bool | None = None) -> None:
        ctx = window.session.ctx
        self.port = ConnectedPort(ctx)
        self.sync: StatusSync | None = None
        self.lock: SenderLock | None = None
        if send:
            self.lock = SenderLock(ctx.data_dir)
            try:
                self.lock.__enter__()
            except ExpectedError:  # `outbox run` or another window is sending: only watch
                log.info("another sender holds %s; the window only shows the outbox",
                         ctx.data_dir)
                self.lock = None
        unit = self._unit(ctx) if self.lock is not None else None
        if unit is not None:
            self.sync = StatusSync(ctx.connect, self.port, unit, actor=ctx.actor)
        self.sender = Sender(ctx.connect, self.port, actor=ctx.actor,
                             after_delivery=self.sync.request if self.sync else None)
        self.parts = OutboxWindowParts(window, self.sender, self.sync, use_tray=use_tray)
        if self.lock is not None:
            self.sender.start()
            if self.sync is not None:
                self.sync.start()

    @staticmethod
    def _unit(ctx: AppContext) -> str | None:
        # One small indexed read at start-up, before the window shows (like the settings).
        conn = ctx.connect()
        try:
            saved = load_connection(ProfileStore(conn))
        finally:
            conn.close()
        return saved.unit if saved else None

    def close(self) -> None:
        """Stop listening, stop the threads, release the data folder."""
        self.parts.close()
        self.sender.close()
        if self.sync is not None:
            self.sync.close()
        self.port.close()
        if self.lock is not None:
            self.lock.__exit__(None, None, None)
            self.lock = None
