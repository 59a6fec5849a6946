"""The token thread and what it sees: the window's one TokenExecutor and its token source.

Loading PKCS#11 modules can be slow (a driver probing USB), so the source is built on the
token thread; later token calls queue behind it on the same thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.token import Token, TokenInfo
from treasury_desktop.usecases.tokens import ModuleProblem, TokenView, describe


class WatchableSource(Protocol):
    """A token source the plug/unplug watcher can poll (ModuleSet, FakeSlots, a module)."""

    def tokens(self) -> Sequence[Token]:
        """The tokens present now."""
        ...

    def token_infos(self) -> Sequence[TokenInfo]:
        """A cheap description of each token present, compared between polls."""
        ...


@dataclass(frozen=True)
class Survey:
    """What the chooser shows: each token with its certificates, and drivers that failed."""

    tokens: tuple[TokenView, ...]
    problems: tuple[ModuleProblem, ...] = ()


def survey(source: WatchableSource, now: datetime) -> Survey:
    """Read every token and certificate (on the token thread)."""
    views = describe(source.tokens(), now)
    problems = getattr(source, "problems", ())
    return Survey(tuple(views), tuple(problems))


class TokenRuntime:
    """The token thread plus the source it loads; itself a WatchableSource for that thread."""

    def __init__(
        self, load: Callable[[], WatchableSource], executor: TokenExecutor | None = None
    ) -> None:
        self._owns_executor = executor is None
        self.executor = executor or TokenExecutor(name="token")
        self._source: Future[WatchableSource] = self.executor.submit(load)

    def source(self) -> WatchableSource:
        """The loaded source. Only from the token thread or the worker (it may wait)."""
        return self._source.result()

    def tokens(self) -> Sequence[Token]:
        """The tokens present now."""
        return self.source().tokens()

    def token_infos(self) -> Sequence[TokenInfo]:
        """What the watcher compares between polls."""
        return self.source().token_infos()

    @property
    def problems(self) -> tuple[ModuleProblem, ...]:
        """Modules that failed to load or to list tokens."""
        return tuple(getattr(self.source(), "problems", ()))

    def close(self, timeout: float = 2.0) -> None:
        """Unload the modules on the token thread, then end it (if this runtime made it)."""
        def unload() -> None:
            if self._source.done() and self._source.exception() is None:
                closer = getattr(self._source.result(), "close", None)
                if callable(closer):
                    closer()

        # Closing anyway on any failure: a hung driver must not hang the window's exit.
        with contextlib.suppress(Exception):
            self.executor.submit(unload).result(timeout=timeout)
        if self._owns_executor:
            self.executor.shutdown(wait=False)
