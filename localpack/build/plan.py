"""How a build gets its binary, decided once before anything runs: `plan(config, options, paths)`.

Three modes. An app is packaged around the cached runtime binary of its variant (`tauri bundle`, no compile),
or around the prebuilt one of the installed runtime wheel when that serves the variant (runtime_cache.from_wheel);
if neither is there, the runtime is compiled first, cached, then packaged around; with
`--compile` the app's own project is compiled with `tauri build`. On Windows too an app is packaged around the
runtime: its icon and version info are written into its copy of the runtime exe (build/exe_resources.py). The plan also says what an offline build needs (vendored crates only where
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
from localpack.paths import Paths


class Mode(enum.Enum):
    PACKAGE_CACHED = "package"  # `tauri bundle` around the cached runtime binary
    COMPILE_RUNTIME = "compile-runtime"  # compile the runtime binary of this variant, cache it, then bundle
    COMPILE_APP = "compile-app"  # `tauri build` of the app's own project (--compile)


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

    @property
    def source(self) -> str | None:
        """Where the runtime binary comes from: "wheel" (prebuilt), "cache", "compiled" (now); None for COMPILE_APP."""
        if self.mode is Mode.COMPILE_APP:
            return None
        return self.cached.source if self.cached is not None else "compiled"

    def runtime_json(self) -> dict[str, Any]:
        """The `runtime` object of `build --json` and of the build record: which runtime packaged the app (`id`:
        the runtime's own, so a wheel's names the features it carries), whether this build compiled, why, and
        where the binary came from."""
        runtime_id = self.cached.variant.id if self.cached is not None else self.variant.id
        return {
            "id": None if self.mode is Mode.COMPILE_APP else runtime_id,
            "compiled": self.compiles,
            "reason": self.reason,
            "source": self.source,
        }


def app_compile_reason(opts: BuildOptions) -> str | None:
    """Why this app must be compiled on its own instead of packaged around a compiled runtime (None if not).
    Every OS packages around the runtime: on Windows the exe's resources are written into the app's copy."""
    if opts.compile:
        return "--compile was given"
    return None


def plan(cfg: AppConfig, opts: BuildOptions, paths: Paths) -> BuildPlan:
    """Decide the build's mode, its runtime variant and why. `opts.offline` is already decided (the network
    probe is the caller's)."""
    variant = variant_for(cfg, debug=opts.debug, runner=opts.runner)
    why_app = app_compile_reason(opts)
    if why_app:
        return BuildPlan(Mode.COMPILE_APP, variant, why_app, offline=opts.offline)
    cached, why_runtime = runtime_cache.find(paths, variant)
    if cached is None:
        cached, why_not_wheel = runtime_cache.from_wheel(variant)
        if cached is None:
            reason = f"{why_not_wheel}; {why_runtime}" if why_not_wheel else why_runtime
            return BuildPlan(Mode.COMPILE_RUNTIME, variant, reason, offline=opts.offline)
    return BuildPlan(Mode.PACKAGE_CACHED, variant, None, cached, offline=opts.offline)
