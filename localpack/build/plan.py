"""How a build gets its binary, decided once before anything runs: `plan(config, options, paths)`.

Three modes. An app is packaged around the cached runtime binary of its variant (`tauri bundle`, no compile);
if that variant was never compiled here, the runtime is compiled first, cached, then packaged around; with
`--compile`, or on Windows (the exe carries its own icon and version info), the app's own project is
compiled with `tauri build`. The plan also says what an offline build needs (vendored crates only where
something compiles). Reading the runtime cache is its only contact with the world: no subprocess.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localpack.build import runtime_cache
from localpack.build.runtime_cache import CachedRuntime
from localpack.build.variant import Variant, variant_for
from localpack.config.model import AppConfig
from localpack.core.platform import host_os
from localpack.paths import Paths


class Mode(enum.Enum):
    PACKAGE_CACHED = "package"  # `tauri bundle` around the cached runtime binary
    COMPILE_RUNTIME = "compile-runtime"  # compile the runtime binary of this variant, cache it, then bundle
    COMPILE_APP = "compile-app"  # `tauri build` of the app's own project


@dataclass(frozen=True)
class BuildOptions:
    out: Path
    targets: tuple[str, ...] = ()
    debug: bool = False
    offline: bool = False
    runner: str | None = None
    timeout: float | None = None
    preflight: bool = True
    verbose: bool = False
    compile: bool = False  # compile this app on its own instead of packaging a compiled runtime
    events: bool = False  # progress as JSON lines (for programs driving localpack)


@dataclass(frozen=True)
class BuildPlan:
    mode: Mode
    variant: Variant
    reason: str | None  # why something compiles; None when the cached runtime is packaged
    cached: CachedRuntime | None = None  # the runtime binary to package around (PACKAGE_CACHED only)
    offline: bool = False

    @property
    def compiles(self) -> bool:
        return self.mode is not Mode.PACKAGE_CACHED

    @property
    def tauri_command(self) -> str:
        """`build` compiles the app's project; `bundle` packages the staged runtime binary."""
        return "build" if self.mode is Mode.COMPILE_APP else "bundle"

    @property
    def vendored_crates(self) -> bool:
        """The app's workspace reads the prefetched crates: offline, when the app compiles there (a runtime
        compile prepares its own workspace; packaging reads no crates)."""
        return self.offline and self.mode is Mode.COMPILE_APP

    def runtime_json(self) -> dict[str, Any]:
        """The `runtime` object of `build --json` and of the build record: which runtime packaged the app."""
        return {
            "id": None if self.mode is Mode.COMPILE_APP else self.variant.id,
            "compiled": self.compiles,
            "reason": self.reason,
        }


def app_compile_reason(opts: BuildOptions, host: str) -> str | None:
    """Why this app must be compiled on its own instead of packaged around a compiled runtime (None if not)."""
    if opts.compile:
        return "--compile was given"
    if host == "windows":
        return "on Windows the exe's own icon and version info are compiled into it"
    return None


def plan(cfg: AppConfig, opts: BuildOptions, paths: Paths, *, host: str | None = None) -> BuildPlan:
    """Decide the build's mode, its runtime variant and why. `opts.offline` is already decided (the network
    probe is the caller's); `host` is the OS, this one unless given."""
    variant = variant_for(cfg, debug=opts.debug, runner=opts.runner)
    why_app = app_compile_reason(opts, host or host_os())
    if why_app:
        return BuildPlan(Mode.COMPILE_APP, variant, why_app, offline=opts.offline)
    cached, why_runtime = runtime_cache.find(paths, variant)
    if cached is None:
        return BuildPlan(Mode.COMPILE_RUNTIME, variant, why_runtime, offline=opts.offline)
    return BuildPlan(Mode.PACKAGE_CACHED, variant, None, cached, offline=opts.offline)
