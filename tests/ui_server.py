"""`localpack ui` as a user starts it (a subprocess), and the helpers the UI tests share."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import requests

from tests.conftest import CARGO_STANDIN, REPO

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_getaddrinfo = socket.getaddrinfo


def _localhost_names(host, port, *args, **kwargs):
    """Names under `localhost` are loopback, as browsers resolve them (RFC 6761 §6.3; the Fetch standard),
    which glibc here does not: the tests' HTTP client reaches the ui's per-run name the way a browser does."""
    if isinstance(host, str) and host.lower().rstrip(".").endswith(".localhost"):
        host = "127.0.0.1"
    return _getaddrinfo(host, port, *args, **kwargs)


socket.getaddrinfo = _localhost_names


class UiServer:
    def __init__(
        self, home: Path, folder: Path, env: dict[str, str] | None = None, runner: Path | None = CARGO_STANDIN
    ) -> None:
        """`runner`: the stand-in cargo (the fast tier); None builds with the real cargo (the real tier)."""
        self.home, self.folder = home, folder
        full_env = {**os.environ, "LOCALPACK_HOME": str(home), **(env or {})}
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "localpack",
                "ui",
                "--no-browser",
                "--dir",
                str(folder),
                *(["--runner", str(runner)] if runner else []),
            ],
            cwd=folder,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()  # the address with this run's key, once it answers
        assert self.url.startswith("http://"), self.proc.stderr.read() if self.proc.stderr else ""
        parts = urlsplit(self.url)
        self.port = parts.port
        self.host = parts.hostname  # this run's name, <random>.localhost
        self.base = f"http://{self.host}:{self.port}"
        self.key = parts.query.removeprefix("key=")

    def session(self) -> requests.Session:
        """A client that has opened the printed address (so it holds the cookie) and sends our Origin."""
        s = requests.Session()
        s.headers["Origin"] = self.base
        assert s.get(self.url, timeout=10).ok
        return s

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> str:
        """Ctrl-C, as a user stops it; returns what it printed on stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            _out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _out, err = self.proc.communicate()
        return err


def command_lines(procs: list[psutil.Process]) -> list[str]:
    lines = []
    for p in procs:
        try:
            lines.append(" ".join(p.cmdline()))
        except psutil.Error:
            pass
    return lines


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    left = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                left.append(p)
        except psutil.NoSuchProcess:
            pass
    return left


def wait_for(predicate, timeout: float = 60, step: float = 0.1):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out waiting")
