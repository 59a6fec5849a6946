"""The window's outbox at work: the core's :class:`Delivery` (sender, status sync with its
balance and catalogue chores, one client, the data folder's sender lock), opened off the GUI
thread, and the outbox's parts in the window.

Until the delivery is open, and whenever it cannot be (the desk is not connected yet, no
keyring, another window or ``outbox run`` holds the folder), the parts follow a sender that is
never started: the outbox is still listed, the indicator says why nothing is sent, and Send now
tries again.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.ui.outbox.window_parts import OutboxWindowParts
from treasury_desktop.ui.session import Lane
from treasury_desktop.ui.shell import WindowShell

if TYPE_CHECKING:  # the client (httpx, keyring) loads on the worker, after the first paint
    from PySide6.QtNetwork import QNetworkInformation

    from treasury_desktop.delivery import Delivery

log = logging.getLogger(__name__)
OpenDelivery = Callable[[AppContext], "Delivery"]


def _open_delivery(ctx: AppContext, conn: sqlite3.Connection) -> Delivery:
    from treasury_desktop.delivery import open_delivery

    return open_delivery(ctx, conn=conn)


class _NoTreasury:
    """The port of the watching sender, which is never started: it is never called."""


class OutboxRuntime:
    """Puts the outbox into ``window`` and starts delivering when it can.

    ``send=False`` (a screenshot) shows the outbox and whether the desk is connected, but
    starts nothing. :meth:`close` before the session.
    """

    def __init__(self, window: WindowShell, *, send: bool = True, use_tray: bool | None = None,
                 open_delivery: OpenDelivery | None = None) -> None:
        self._ctx = window.session.ctx
        session = window.session  # the profile is read over the worker lane's connection
        self._open = open_delivery or (lambda ctx: _open_delivery(ctx, session.connection()))
        self._opening = False
        self._closed = False
        self._send = send
        self.delivery: Delivery | None = None
        # Called on the worker only, where the lane lends it its connection: it opens none.
        self.watcher = Sender(session.connection, _NoTreasury(),  # type: ignore[arg-type]
                              actor=self._ctx.actor)
        self.parts = OutboxWindowParts(window, self.watcher, use_tray=use_tray)
        self.parts.bridge.reconnect_requested.connect(self.connect)
        self._network: QNetworkInformation | None = None
        self.connect()
        if send:
            self._watch_network()

    def _watch_network(self) -> None:
        from PySide6.QtNetwork import QNetworkInformation  # with sending, not with the window

        # The operating system's word that the network is back wakes the outbox at once,
        # instead of waiting out the backoff (NetworkManager, glib, Windows: Qt picks).
        if QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
            self._network = QNetworkInformation.instance()
            if self._network is not None:
                self._network.reachabilityChanged.connect(self.network_reachability)

    def network_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        """The network came back (or went): wake the sender, or try to connect again."""
        from PySide6.QtNetwork import QNetworkInformation

        if reachability is not QNetworkInformation.Reachability.Online:
            return
        if self.delivery is None:
            self.connect()
        else:
            self.parts.bridge.network_changed(True)

    def connect(self) -> None:
        """Open the delivery on the worker (profile, keyring), then start it here."""
        if self.delivery is not None or self._opening:
            return
        self._opening = True
        opener, ctx = self._open, self._ctx

        def job(_lane: Lane) -> Delivery | ExpectedError | None:
            try:
                delivery = opener(ctx)
            except ExpectedError as error:  # not connected, no keyring: said in the indicator
                return error
            if self._closed:  # the window closed meanwhile: nobody will start it
                delivery.close()
                return None
            return delivery

        self.parts.bridge.run(job, self._opened)

    def _opened(self, result: Delivery | ExpectedError | None) -> None:
        self._opening = False
        bridge = self.parts.bridge
        if result is None:
            return
        if isinstance(result, ExpectedError):
            bridge.set_detached((text("outbox_ui.indicator.unconnected"), result.message))
            return
        if not self._send:  # connected, shown, not started
            self.delivery = result
            bridge.attach(result.sender, result.sync)
            return
        try:
            result.start()
        except ExpectedError as busy:  # another window or `outbox run` holds the folder
            log.info("the outbox of %s is sent from elsewhere", self._ctx.data_dir)
            result.close()
            bridge.set_detached((text("outbox_ui.indicator.elsewhere"), busy.message))
            return
        self.delivery = result
        bridge.attach(result.sender, result.sync)
        bridge.set_detached(None)

    def close(self) -> None:
        """Stop listening, stop the threads, release the data folder."""
        self._closed = True
        if self._network is not None:
            self._network.reachabilityChanged.disconnect(self.network_reachability)
            self._network = None
        self.parts.close()
        if self.delivery is not None:
            self.delivery.close()
            self.delivery = None
        self.watcher.close()
