"""Optional checks of the machine itself: free disk in the cache, memory, and whether crates.io
answers. They warn; they never fail a run."""

from __future__ import annotations

import shutil
from pathlib import Path

from localpack.core.messages import Msg
from localpack.toolchain.checks import Check, Host

DISK_MIN_GB = 5.0  # a cold Tauri release build fills several GB of cargo target dir
MEMORY_MIN_GB = 4.0  # rustc + the linker of a release build with LTO
PROBE_URL = "https://index.crates.io/config.json"  # the sparse index cargo uses by default
PROBE_TIMEOUT = 1.5
GB = 1024**3


def disk_check(cache: Path) -> Check:
    folder = cache
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    free = shutil.disk_usage(folder).free / GB
    ok = free >= DISK_MIN_GB
    return Check(
        "disk",
        ok=ok,
        required=False,
        version=f"{free:.1f} GB",
        minimum=f"{DISK_MIN_GB:g} GB",
        path=str(cache),
        hint="" if ok else f"free space on the disk of {cache} (`localpack cache clean` removes old workspaces)",
        problem="" if ok else Msg("little free space for the cargo target dir"),
    )


def memory_check() -> Check:
    import psutil

    total = psutil.virtual_memory().total / GB
    ok = total >= MEMORY_MIN_GB
    return Check(
        "memory",
        ok=ok,
        required=False,
        version=f"{total:.1f} GB",
        minimum=f"{MEMORY_MIN_GB:g} GB",
        hint="" if ok else "close other programs or add swap; a release build can need several GB",
        problem="" if ok else Msg("little memory: the release build may be slow or be killed"),
    )


def network_check(host: Host) -> Check:
    """One HTTPS request to crates.io's index (through the user's proxy settings, as cargo would)."""
    import requests

    url = host.env.get("LOCALPACK_PROBE_URL") or PROBE_URL
    hint = (
        "the first build downloads crates from crates.io: check the connection or proxy, or run "
        "`localpack prefetch` on a connected machine and build with --offline"
    )
    try:
        response = requests.head(url, timeout=PROBE_TIMEOUT, allow_redirects=True)
        ok = response.status_code < 500
        problem = "" if ok else Msg("{url} answered HTTP {status}", url=url, status=response.status_code)
    except requests.RequestException as e:
        ok, problem = False, Msg("{url} is not reachable ({reason})", url=url, reason=type(e).__name__)
    return Check("network", ok=ok, required=False, path=url, hint="" if ok else hint, problem=problem)
