"""Running the sandbox on a real socket: in a thread (tests, demo) or in the foreground (CLI)."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from treasury_desktop.sandbox.app import SandboxState, create_app
from treasury_desktop.sandbox.clerk import Clock
from treasury_desktop.sandbox.config import SandboxConfig, default_config
from treasury_desktop.sandbox.faults import FaultSpec
from treasury_desktop.sandbox.guards import HEAD_TIMEOUT, MAX_HEAD_BYTES, GuardedH11


class _Server(uvicorn.Server):
    """uvicorn that stops on SIGINT/SIGTERM without re-raising the signal (exit code 0), and
    says where it listens once it does."""

    on_ready: Callable[[], None] | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        originals = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self.on_ready is not None:
            self.on_ready()


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket (port 0: the system picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket, tls: bool = False) -> str:
    """The base URL of a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def make_server(
    app: Starlette, ssl_certfile: Path | None = None, ssl_keyfile: Path | None = None,
    head_timeout: float = HEAD_TIMEOUT,
) -> _Server:
    """A uvicorn server for the app: h11 with the connection guards (:mod:`.guards`), no
    access log, our own logging left alone."""
    protocol = type("GuardedH11", (GuardedH11,), {"head_timeout": head_timeout})
    config = uvicorn.Config(
        app,
        http=protocol,
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        lifespan="on",
        log_config=None,
        log_level="warning",
        access_log=False,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        timeout_graceful_shutdown=2,
    )
    return _Server(config)


@dataclass
class RunningSandbox:
    """A sandbox serving on 127.0.0.1 in a background thread."""

    url: str
    app: Starlette
    server: uvicorn.Server
    thread: threading.Thread
    sock: socket.socket
    _tmp: str | None = field(default=None, repr=False)

    @property
    def state(self) -> SandboxState:
        """The sandbox's config, store and clerk (``state.clerk.run_due()`` in tests)."""
        state: SandboxState = self.app.state.sandbox
        return state

    def stop(self) -> None:
        """Stop serving, close the socket and the database."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


def start_sandbox(
    config: SandboxConfig | None = None,
    db_path: Path | str | None = None,
    *,
    faults: FaultSpec | None = None,
    speed: float = 1.0,
    seed: int | None = None,
    clock: Clock | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    ssl_certfile: Path | None = None,
    ssl_keyfile: Path | None = None,
    tick_seconds: float = 0.05,
    head_timeout: float = HEAD_TIMEOUT,
) -> RunningSandbox:
    """Start a real uvicorn sandbox in a thread and return once it accepts connections.

    Without ``db_path`` the database lives in a temporary folder removed by ``stop()``.
    """
    tmp = None
    if db_path is None:
        tmp = tempfile.mkdtemp(prefix="kbnn-sandbox-")
        db_path = Path(tmp) / "sandbox.sqlite3"
    app = create_app(config or default_config(), db_path, faults, speed, seed, clock, tick_seconds)
    sock = bind(host, port)
    server = make_server(app, ssl_certfile, ssl_keyfile, head_timeout)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="sandbox-treasury", daemon=True
    )
    running = RunningSandbox(url_of(sock, ssl_certfile is not None), app, server, thread, sock, tmp)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            running.stop()
            raise RuntimeError("the sandbox treasury did not start")
        time.sleep(0.01)
    return running


@contextlib.contextmanager
def running_sandbox(
    config: SandboxConfig | None = None, db_path: Path | str | None = None, **options: object
) -> Iterator[RunningSandbox]:
    """``with running_sandbox(config) as sandbox: ... sandbox.url``: start, then always stop."""
    sandbox = start_sandbox(config, db_path, **options)  # type: ignore[arg-type]
    try:
        yield sandbox
    finally:
        sandbox.stop()
