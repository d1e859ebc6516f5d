"""Starting and stopping the server: loopback only, a free port by default, a host name and a secret per run
(`guard.py` says why), the system browser opened at the address.
Ctrl-C (or SIGTERM) stops the server and every build it started: each
build's whole process tree is gone before `serve` returns.
"""

from __future__ import annotations

import errno
import secrets
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from localpack.core import proc
from localpack.errors import ConfigError, LocalpackError
from localpack.paths import Paths
from localpack.ui.guard import Guard
from localpack.ui.jobs import Jobs
from localpack.ui.pages import Settings, create_app

HOST = "127.0.0.1"
HOST6 = "::1"
FREE_PORT_TRIES = 20


def bind(port: int) -> list[socket.socket]:
    """Listening sockets on 127.0.0.1 and, where this machine has IPv6, on ::1, both on one port.

    Browsers resolve `<name>.localhost` to ::1 and 127.0.0.1 and may try ::1 first: a server of another
    user on [::1]:PORT would get the request (and its key), so this server holds both addresses."""
    for _ in range(FREE_PORT_TRIES if port == 0 else 1):
        sock = _listen(socket.AF_INET, HOST, port)
        got = sock.getsockname()[1]
        try:
            six = _listen(socket.AF_INET6, HOST6, got)
        except _NoIPv6:
            return [sock]
        except OSError as e:
            sock.close()
            if port == 0:
                continue  # that port is taken on ::1: another free one
            raise _cannot(HOST6, port, e) from None
        return [sock, six]
    raise ConfigError(
        "cannot find a port that is free on both 127.0.0.1 and ::1", "choose a --port that is free on both"
    )


class _NoIPv6(Exception):
    """This machine has no IPv6 loopback: nobody can listen on ::1, and browsers fall back to 127.0.0.1."""


def _listen(family: int, host: str, port: int) -> socket.socket:
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError:
        if family == socket.AF_INET6:
            raise _NoIPv6 from None
        raise
    if sys.platform == "win32":  # there SO_REUSEADDR would let another program take the port over
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
    else:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        if family == socket.AF_INET6 and e.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            raise _NoIPv6 from None
        if family == socket.AF_INET6:
            raise
        raise _cannot(host, port, e) from None
    sock.listen(64)
    return sock


def _cannot(host: str, port: int, e: OSError) -> ConfigError:
    shown = f"[{host}]" if ":" in host else host
    return ConfigError(
        f"cannot listen on {shown}:{port} ({e.strerror})", "choose another --port, or leave it out for a free one"
    )


def host_name() -> str:
    """This run's host name: an unguessable label under `localhost` (see guard.py)."""
    return f"{secrets.token_hex(10)}.localhost"


# Python's webbrowser, in a child: the browser it starts gets `core.proc`'s environment (no secrets), and
# its output goes nowhere (the browser would otherwise hold the pipe `proc.run` reads to its end).
_OPEN = (
    "import os, sys, webbrowser; null = os.open(os.devnull, os.O_WRONLY); os.dup2(null, 1); os.dup2(null, 2); "
    "webbrowser.open(sys.argv[1])"
)


def open_browser(url: str) -> None:
    """Open `url` in the system browser; a browser that does not start is not an error (the address is printed)."""
    try:
        proc.run([sys.executable, "-c", _OPEN, url], timeout=60)
    except LocalpackError:
        pass


class _Server(uvicorn.Server):
    """uvicorn's server; on Ctrl-C it also ends the event streams and starts stopping the builds at once."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_exit = on_exit

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.on_exit()
        super().handle_exit(sig, frame)


def serve(
    directory: Path,
    *,
    port: int = 0,
    open_browser: bool = True,
    runner: str | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted. `announce` receives the address (with this run's key) once it answers."""
    directory = directory.expanduser().resolve()
    if not directory.is_dir():
        raise ConfigError(f"--dir {directory} is not an existing folder", "create it first")
    socks = bind(port)
    port = socks[0].getsockname()[1]
    secret, host = secrets.token_urlsafe(32), host_name()
    settings = Settings(directory=directory, paths=Paths.from_env(), jobs=Jobs(runner))

    def stopping() -> None:
        settings.stopping.set()
        threading.Thread(target=settings.jobs.stop_all, daemon=True).start()

    app = Guard(create_app(settings), secret=secret, host=host, port=port)
    config = uvicorn.Config(
        app, log_config=None, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    server = _Server(config, stopping)
    url = f"http://{host}:{port}/?key={secret}"

    def when_up() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            announce(url)
            if open_browser:
                open_browser(url)

    threading.Thread(target=when_up, daemon=True).start()
    try:
        server.run(sockets=socks)
    finally:
        settings.stopping.set()
        settings.jobs.stop_all()
        for sock in socks:
            sock.close()
