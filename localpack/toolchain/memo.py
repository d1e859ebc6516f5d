"""Remembering a passed preflight, so a warm build does not re-run a dozen `--version` probes.

A build's preflight costs about 0.2 s of process start-ups (node alone for the Tauri
CLI's version). Its answer only changes when a tool or library is installed, removed
or updated, so a *passed* preflight is kept with a fingerprint of all that: the
environment variables the checks read, each tool's resolved path with its size and
mtime, rustup's settings and the pkg-config folders. Any difference, an hour gone by,
or a failure means the checks run again. `localpack doctor` never uses this.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from localpack import __version__, jsonio
from localpack.fsutil import write_atomic
from localpack.paths import Paths
from localpack.toolchain.checks import Check, Host
from localpack.toolchain.tauri_cli import cache_bin

TTL_SECONDS = 3600
ENV_KEYS = (
    "PATH",
    "HOME",
    "CARGO_HOME",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
    "LOCALPACK_TAURI",
    "PKG_CONFIG_PATH",
    "PKG_CONFIG_LIBDIR",
    "APPIMAGE_EXTRACT_AND_RUN",
    "LOCALPACK_OS_RELEASE",
)
PROGRAMS = ("rustc", "cargo", "cargo-tauri", "tauri", "node", "npm", "pkg-config", "cc", "patchelf", "xcode-select")
PKG_CONFIG_DIRS = (
    "/usr/lib/pkgconfig",
    "/usr/share/pkgconfig",
    "/usr/local/lib/pkgconfig",
    "/usr/lib64/pkgconfig",
    "/usr/lib/x86_64-linux-gnu/pkgconfig",
    "/usr/lib/aarch64-linux-gnu/pkgconfig",
)


def _stat(path: str | Path | None) -> list[object] | None:
    if not path:
        return None
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
        return [real, st.st_size, st.st_mtime_ns]
    except OSError:
        return None


def fingerprint(paths: Paths, host: Host, key: dict[str, object]) -> str:
    """A digest of everything the preflight's answer depends on."""
    env = host.env
    search = env.get("PATH")
    rustup_home = Path(env.get("RUSTUP_HOME") or Path(env.get("HOME", str(Path.home()))) / ".rustup")
    pc_dirs = [*PKG_CONFIG_DIRS, *filter(None, env.get("PKG_CONFIG_PATH", "").split(os.pathsep))]
    facts = {
        "localpack": __version__,
        "key": key,
        "os": host.os,
        "env": {k: env.get(k) for k in ENV_KEYS},
        "programs": {p: _stat(shutil.which(p, path=search)) for p in PROGRAMS},
        "tauri": [_stat(env.get("LOCALPACK_TAURI")), _stat(cache_bin(paths))],
        "rustup": [_stat(rustup_home / "settings.toml"), _stat(rustup_home / "toolchains")],
        "pkg-config": {d: _stat(d) for d in pc_dirs},
        "os-release": _stat(host.os_release),
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


def remembered(paths: Paths, host: Host, key: dict[str, object], run: Callable[[], list[Check]]) -> list[Check]:
    """The checks of a passed preflight with the same fingerprint, else `run()` (kept if nothing failed)."""
    memo = paths.preflight_memo
    current = fingerprint(paths, host, key)
    try:
        data = jsonio.read(memo)
        if data["fingerprint"] == current and time.time() - data["time"] < TTL_SECONDS:
            return [Check(**{**c, "packages": tuple(c["packages"])}) for c in data["checks"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    checks = run()
    if all(c.ok or not c.required for c in checks):
        body = {"fingerprint": current, "time": time.time(), "checks": [dataclasses.asdict(c) for c in checks]}
        write_atomic(memo, json.dumps(body))
    return checks
