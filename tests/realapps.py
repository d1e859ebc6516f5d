"""Building, installing and running real apps for the real tier (pytest marker `real`).

Builds go through `localpack build` with real cargo and `-D warnings` (our Rust must compile clean). The
cargo target dir and localpack's home live at a stable place outside the clone, so the next run compiles
only what changed: `~/.cache/localpack-tests/` (LOCALPACK_REAL_HOME and LOCALPACK_REAL_TARGET move them).
Each session starts with fresh state and no compiled runtimes, so every run compiles its runtimes for real.
Installed apps are run as a user would start them: `/usr/bin/<name>` with a home of their own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO, tauri_cli_path

BASE = Path(os.environ.get("LOCALPACK_REAL_BASE", Path.home() / ".cache" / "localpack-tests"))
REAL_HOME = Path(os.environ.get("LOCALPACK_REAL_HOME", BASE / "home"))
REAL_TARGET = Path(os.environ.get("LOCALPACK_REAL_TARGET", BASE / "cargo-target"))
ARTIFACTS = REPO / "test-artifacts"
BUILD_TIMEOUT = 45 * 60


def prepare_home() -> Path:
    """Fresh state and no compiled runtimes; the shared cargo target dir and the runtime's and apps'
    workspaces stay (unchanged files keep their mtime, so cargo reuses what it compiled before)."""
    for name in ("state", "config"):
        shutil.rmtree(REAL_HOME / name, ignore_errors=True)
    runtimes = REAL_HOME / "cache" / "runtimes"
    for entry in runtimes.iterdir() if runtimes.is_dir() else []:
        if entry.name != "src":
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
    REAL_TARGET.mkdir(parents=True, exist_ok=True)
    link = REAL_HOME / "cache" / "cargo-target"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.is_symlink():
        shutil.rmtree(link, ignore_errors=True)
        link.symlink_to(REAL_TARGET)
    return REAL_HOME


def localpack_env(**extra: str) -> dict[str, str]:
    cli = tauri_cli_path()
    env = {**os.environ, "LOCALPACK_HOME": str(REAL_HOME), "RUSTFLAGS": "-D warnings", **extra}
    if cli is not None:
        env["LOCALPACK_TAURI"] = str(cli)
    return env


def build(folder: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    """`localpack build --json ARGS` in `folder`; the result object (the test fails with the log's tail)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "localpack", "build", "--json", *args],
        cwd=folder,
        env=env or localpack_env(),
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    result = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {"ok": False, "error": done.stderr}
    result["wall_s"] = round(time.monotonic() - started, 1)
    if not result.get("ok"):
        tail = ""
        if result.get("log") and Path(result["log"]).exists():
            tail = "\n".join(Path(result["log"]).read_text(errors="replace").splitlines()[-60:])
        raise AssertionError(f"build failed: {result.get('error')}\n{done.stderr[-3000:]}\n--- log tail ---\n{tail}")
    print(f"[real] built {result['app']} in {result['wall_s']} s; runtime {result.get('runtime')}", file=sys.stderr)
    return result


def deb_of(result: dict, folder: Path) -> Path:
    found = [a for a in result["artifacts"] if a["format"] == "deb"]
    assert found, result["artifacts"]
    return (folder / found[0]["path"]).resolve()


def install(deb: Path) -> None:
    """`apt-get install ./x.deb`, as the user would (it also pulls what the package depends on)."""
    done = subprocess.run(
        # Another run on this machine may be installing too: wait for dpkg's lock rather than fail.
        [
            "apt-get",
            "install",
            "-y",
            "--reinstall",
            "--no-install-recommends",
            "-o",
            "DPkg::Lock::Timeout=600",
            str(deb),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def uninstall(package: str) -> None:
    subprocess.run(["dpkg", "--purge", package], capture_output=True, timeout=300)


@dataclass
class Opened:
    """What the stand-in `xdg-open` received: the URLs the app sent to the system browser."""

    record: Path

    def urls(self) -> list[str]:
        return self.record.read_text().split() if self.record.exists() else []


class App:
    """An installed app started as its desktop entry would start it, with a home of its own."""

    def __init__(self, name: str, home: Path, desktop_env: dict[str, str]) -> None:
        self.name, self.home = name, home
        home.mkdir(parents=True, exist_ok=True)
        bin_dir = home / ".stand-ins"
        bin_dir.mkdir(exist_ok=True)
        self.opened = Opened(home / "opened.txt")
        opener = bin_dir / "xdg-open"
        opener.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> {self.opened.record}\n")
        opener.chmod(0o755)
        runtime_dir = home / ".run"
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        self.env = {
            "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "USER": "tester",
            "XDG_RUNTIME_DIR": str(runtime_dir),
            "LANG": "C.UTF-8",
            **desktop_env,
        }
        self.procs: list[subprocess.Popen] = []

    @property
    def binary(self) -> str:
        return f"/usr/bin/{self.name}"

    def launch(self) -> subprocess.Popen:
        log = open(self.home / f"app-{len(self.procs)}.log", "w")
        p = subprocess.Popen(
            [self.binary], env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.home, start_new_session=True
        )
        self.procs.append(p)
        return p

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.home.glob("app-*.log")))

    def stop(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=5)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        self.procs = [p for p in self.procs if p.poll() is None]

    def web_process_env(self) -> dict[str, str]:
        """The environment of the app's WebKit web process (what WebKitGTK itself was started with)."""
        import psutil

        for p in self.procs:
            for child in psutil.Process(p.pid).children(recursive=True):
                if child.name().startswith("WebKitWebProces"):  # the kernel keeps 15 characters of a name
                    return child.environ()
        raise AssertionError(f"{self.name} has no WebKit web process")

    def data_dir(self, identifier: str) -> Path:
        return self.home / ".local" / "share" / identifier
