"""`localpack prefetch`: on a connected machine, everything an offline build of an app downloads.

Render the app's workspace → resolve its Cargo.lock → `cargo vendor` into the shared vendor dir
→ keep the lock → `npm pack` the pinned Tauri CLI → download (and verify) the bundler tools of
the targets → place them in the Tauri tool cache here too. Every step keeps what is already there
and valid, so a second prefetch (another app, more targets) only adds.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from localpack import __version__
from localpack.config.model import AppConfig
from localpack.core import locks, proc, targets
from localpack.core.platform import host_os, platform_id, tauri_tool_cache
from localpack.errors import BuildFailed, ConfigError
from localpack.offline import bundler_tools, npm, vendor
from localpack.offline.store import Store
from localpack.paths import Paths
from localpack.project.workspace import write_project
from localpack.versions import TAURI_CLI


@dataclass
class Prefetched:
    app: str
    targets: list[str]
    store: Path
    lock: Path
    log: Path
    crates: int = 0
    npm: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": True,
            "app": self.app,
            "targets": self.targets,
            "store": str(self.store),
            "lock": str(self.lock),
            "crates": self.crates,
            "npm": self.npm,
            "tools": self.tools,
            "log": str(self.log),
        }


def prefetch(
    cfg: AppConfig, paths: Paths, requested: Sequence[str], info: Callable[[str], None], warn: Callable[[str], None]
) -> Prefetched:
    # Prefetch downloads the AppImage tools itself: no default target is dropped for want of them.
    chosen = targets.resolve(requested, offline=False, warn=warn, tools_cached=lambda: True, reachable=lambda: True)
    if "appimage" in chosen and not bundler_tools.appimage_supported():
        if "appimage" in requested:
            raise ConfigError("localpack has no pinned AppImage tools for this CPU", "prefetch deb/rpm instead")
        chosen.remove("appimage")
        warn("skipping AppImage: localpack has no pinned AppImage tools for this CPU")
    store = Store.of(paths)
    workspace = paths.workspace(cfg.name)
    log_path = paths.log(f"prefetch-{cfg.name}-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}")
    try:
        lock = locks.take(paths, locks.app_lock(paths, cfg.name), timeout=0)
    except locks.Timeout:
        raise BuildFailed(
            f"a build of {cfg.name} (or `cache clean`) is running", "prefetch again when it is done", cause="busy"
        ) from None
    log_file = proc.open_log(log_path)
    try:
        write_project(cfg, workspace, warn)
        info(f"resolving and vendoring the crates of {cfg.name} (cargo; the first time takes a few minutes)")
        lock_file = vendor.lock_and_vendor(workspace / "src-tauri", store.vendor, log_file)
        kept = store.lock(cfg.name)
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lock_file, kept)
        info(f"caching the Tauri CLI {TAURI_CLI} (npm pack)")
        tarballs = npm.pack(store.npm)
        tools = bundler_tools.tools_for(chosen)
        if tools:
            info(f"downloading the bundler tools for {', '.join(t for t in chosen if bundler_tools.tools_for([t]))}")
        fetched = bundler_tools.fetch(tools, store.tools, log=lambda line: log_file.write(f"# {line}\n"))
        here = [t for t in chosen if targets.OS_OF[t] == host_os()]
        bundler_tools.seed(here, store.tools, tauri_tool_cache())
    finally:
        log_file.close()
        lock.release()
    state = store.read_state()
    store.write_state(
        {
            "localpack": __version__,
            "tauri_cli": TAURI_CLI,
            "platform": platform_id(),
            "targets": sorted(set(state.get("targets", [])) | set(chosen)),
            "apps": sorted(set(state.get("apps", [])) | {cfg.name}),
        }
    )
    crates = sum(1 for p in store.vendor.iterdir() if p.is_dir())
    return Prefetched(
        cfg.name, chosen, store.root, kept, log_path, crates, [p.name for p in tarballs], [p.name for p in fetched]
    )
