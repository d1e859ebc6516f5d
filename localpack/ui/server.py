"""Starting and stopping the server: loopback only, a free port by default, a secret per run, the system
browser opened at the address. Ctrl-C (or SIGTERM) stops the server and every build it started: each
build's whole process tree is gone before `serve` returns.
"""

from __future__ import annotations

import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from localpack.errors import ConfigError
from localpack.paths import Paths
from localpack.ui.guard import Guard
from localpack.ui.jobs import Jobs
from localpack.ui.pages import Settings, create_app

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as e:
        sock.close()
        raise ConfigError(
            f"cannot listen on {HOST}:{port} ({e.strerror})", "choose another --port, or leave it out for a free one"
        ) from None
    sock.listen(64)
    return sock


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
    sock = bind(port)
    port = sock.getsockname()[1]
    secret = secrets.token_urlsafe(32)
    settings = Settings(directory=directory, paths=Paths.from_env(), jobs=Jobs(runner))

    def stopping() -> None:
        settings.stopping.set()
        threading.Thread(target=settings.jobs.stop_all, daemon=True).start()

    app = Guard(create_app(settings), secret=secret, port=port)
    config = uvicorn.Config(
        app, log_config=None, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    server = _Server(config, stopping)
    url = f"http://{HOST}:{port}/?key={secret}"

    def when_up() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            announce(url)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_up, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        settings.stopping.set()
        settings.jobs.stop_all()
        sock.close()
