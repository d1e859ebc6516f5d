"""Offline builds: what `localpack prefetch` stores, what a build with no network needs from it, and the
offline rows of `doctor --offline`. Imports project/ (prefetch renders a workspace), toolchain/, config/, core/.

`prepare_workspace` is the build's one entry point (env overrides for the Tauri CLI run, after render; what
it needs is decided by the build's plan, build/plan.py);
`missing` is what `doctor --offline` reports; `should_build_offline` decides the automatic case.
"""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Callable, Sequence
from pathlib import Path

from localpack.core.platform import tauri_tool_cache
from localpack.errors import ToolMissing
from localpack.offline import bundler_tools, npm, vendor
from localpack.offline.store import Store
from localpack.paths import Paths
from localpack.toolchain.checks import Check
from localpack.toolchain.tauri_cli import locate

__all__ = [
    "Store",
    "appimage_tools_cached",
    "crates_io_reachable",
    "doctor_checks",
    "missing",
    "nothing_prefetched",
    "offline_hint",
    "prepare_workspace",
    "should_build_offline",
]

PREFETCH_HINT = (
    "run `localpack prefetch{targets}` on a connected machine, then carry it here with "
    "`localpack offline export FILE` / `localpack offline import FILE`"
)


def _hint(targets: Sequence[str] = ()) -> str:
    return PREFETCH_HINT.format(targets=f" --targets {','.join(targets)}" if targets else "")


def nothing_prefetched(paths: Paths) -> bool:
    """Neither `prefetch` nor `offline import` ever filled this machine's offline store."""
    store = Store.of(paths)
    return not any(
        part.is_dir() and any(part.iterdir()) for part in (store.vendor, store.npm, store.tools, store.runtimes)
    )


def offline_hint(paths: Paths, hint: str) -> str:
    """A hint for a tool an offline build lacks: on a machine with nothing prefetched, installing tools is not
    enough (they cannot be downloaded), so the way to carry them here comes first."""
    if not nothing_prefetched(paths):
        return hint
    first = f"nothing is prefetched on this machine: {_hint()}"
    return f"{first}; then {hint}" if hint else first


def crates_io_reachable(timeout: float = 2.0) -> bool:
    if any(os.environ.get(k) for k in ("HTTPS_PROXY", "https_proxy", "CARGO_HTTP_PROXY")):
        return True  # a proxy may reach it where a direct connection cannot: do not guess
    try:
        socket.create_connection(("index.crates.io", 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def should_build_offline(
    paths: Paths, requested: bool, warn: Callable[[str], None], reachable: Callable[[], bool] = crates_io_reachable
) -> bool:
    """`--offline`, or prefetched crates exist and crates.io cannot be reached (said on stderr)."""
    if requested:
        return True
    if Store.of(paths).has_crates() and not reachable():
        warn("crates.io is not reachable: building offline with the prefetched crates (`--offline` skips this check)")
        return True
    return False


def appimage_tools_cached(paths: Paths) -> bool:
    """The pinned AppImage tools are in Tauri's cache, or prefetched by localpack (placed there at build time)."""
    if bundler_tools.installed("appimage", tauri_tool_cache()):
        return True
    return bundler_tools.appimage_supported() and not bundler_tools.absent(
        bundler_tools.tools_for(["appimage"]), Store.of(paths).tools
    )


def missing(paths: Paths, targets: Sequence[str]) -> list[tuple[str, str]]:
    """What an offline build of `targets` still lacks, each with the hint that fixes it."""
    store = Store.of(paths)
    lacks: list[tuple[str, str]] = []
    if not store.has_crates():
        lacks.append(("vendored crates", _hint()))
    tauri_cache = tauri_tool_cache()
    for target in dict.fromkeys(targets):
        if target == "appimage" and not bundler_tools.appimage_supported():
            lacks.append(
                ("appimage bundler tools", "localpack has no pinned AppImage tools for this CPU; build deb/rpm instead")
            )
            continue
        tools = bundler_tools.tools_for([target])
        if not tools or bundler_tools.installed(target, tauri_cache):
            continue
        absent = bundler_tools.absent(tools, store.tools)
        if absent:
            lacks.append((f"{target} bundler tools ({', '.join(t.name for t in absent)})", _hint([target])))
    if locate(paths) is None:
        if npm.tarballs(store.npm):
            lacks.append(
                ("tauri-cli", "run `localpack setup` (installs the prefetched Tauri CLI tarballs, no network)")
            )
        else:
            lacks.append(("tauri-cli", _hint()))
    return lacks


def prepare_workspace(
    paths: Paths, workspace: Path, targets: Sequence[str], *, offline: bool, vendored_crates: bool
) -> dict[str, str]:
    """Prepare `workspace` (rendered) for the Tauri CLI run; returns the env overrides.

    Offline: checks that the vendored crates (`vendored_crates`: when it compiles) and every target's bundler
    tools are there (else `ToolMissing` naming what to prefetch, before anything runs), places the tools in the
    Tauri tool cache, copies the prefetched Cargo.lock when the workspace has none, and points cargo at
    the vendored crates. Online: removes that source replacement again.
    """
    src_tauri = workspace / "src-tauri"
    if not offline:
        vendor.remove_source_config(src_tauri)
        return {}
    store = Store.of(paths)
    if vendored_crates and not store.has_crates():
        raise ToolMissing(f"offline build: no vendored crates in {store.vendor}", _hint())
    tauri_cache = tauri_tool_cache()
    lacking = [
        t
        for t in dict.fromkeys(targets)
        if bundler_tools.tools_for([t])
        and not bundler_tools.installed(t, tauri_cache)
        and bundler_tools.absent(bundler_tools.tools_for([t]), store.tools)
    ]
    if "appimage" in targets and not bundler_tools.appimage_supported():
        lacking.insert(0, "appimage")
    if lacking:
        raise ToolMissing(
            f"offline build: the bundler tools for {', '.join(lacking)} are not cached "
            "(the Tauri bundler would download them from GitHub)",
            _hint(lacking),
        )
    bundler_tools.seed(targets, store.tools, tauri_cache)
    if vendored_crates:  # the workspace holds the runtime's pinned Cargo.lock: the vendored crates are exactly its
        vendor.write_source_config(src_tauri, store.vendor)
    return {"CARGO_NET_OFFLINE": "true"}


def doctor_checks(paths: Paths, targets: Sequence[str], *, compile: bool = True) -> list[Check]:
    """`doctor --offline`'s rows: the vendored crates (required only when something compiles: not with a runtime
    wheel that serves) and each target's bundler tools (the Tauri CLI has its own row already). The doctor
    command adds them after the toolchain's checks."""
    store = Store.of(paths)
    lacking = missing(paths, targets)

    def row(name: str, prefix: str, path: Path) -> Check:
        found = next(((what, hint) for what, hint in lacking if what.startswith(prefix)), None)
        if found is None:
            return Check(name, ok=True, required=True, path=str(path))
        return Check(name, ok=False, required=True, hint=found[1], problem=f"{found[0]}: not prefetched")

    crates = row("vendored-crates", "vendored crates", store.vendor)
    return [crates if compile else dataclasses.replace(crates, required=False)] + [
        row(f"{t}-bundler-tools", f"{t} bundler tools", store.tools)
        for t in dict.fromkeys(targets)
        if t == "appimage" or bundler_tools.tools_for([t])
    ]
