"""The cache of compiled runtime binaries: the fixed Tauri program of `runtime/`, compiled once per variant
(`variant.py`) and kept here, so every further app is packaged around it with `tauri bundle`, without a compile.

A variant's entry is `<cache>/runtimes/<id>/` holding the binary and `runtime.json` (the variant and
the binary's sha256). An entry whose metadata does not match, or whose binary fails its checksum, is
removed and compiled again, never used.

A runtime can also come prebuilt, from the installed `localpack-runtime` wheel (`toolchain/prebuilt.py`): one
binary per platform with every optional part compiled in and switched by the app's settings, so it serves any
app whose features it has (`from_wheel`). Its manifest is the same `runtime.json`; it is used only when it is
for this Tauri version, triple, profile and runtime sources and its binary passes the checksum.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from localpack import __version__, jsonio, versions
from localpack.build.variant import Variant, binary_name
from localpack.fsutil import file_digest, write_atomic
from localpack.offline.store import Store
from localpack.paths import Paths
from localpack.project import runtime_source
from localpack.toolchain import prebuilt

META = "runtime.json"
SCHEMA = 1


@dataclass(frozen=True)
class CachedRuntime:
    variant: Variant
    folder: Path
    meta: dict[str, Any]
    source: str = "cache"  # "cache" (compiled here, or carried in an offline archive) or "wheel"

    @property
    def binary(self) -> Path:
        return self.folder / binary_name(runtime_source.CRATE)


def carried(paths: Paths) -> Path:
    """Runtimes in the offline store: prefetched here to carry away, or imported from an offline archive."""
    return Store.of(paths).runtimes


def find(paths: Paths, variant: Variant) -> tuple[CachedRuntime | None, str | None]:
    """The cached (or carried) runtime of `variant` and None, or None and why it must be compiled. A damaged
    entry is removed (never used)."""
    folders = [base / variant.id for base in (paths.runtimes, carried(paths)) if (base / variant.id).exists()]
    if not folders:
        others = [p for p in entries(paths) if p.variant.same_kind(variant)]
        return None, (
            "the runtime's sources changed since it was compiled"
            if others
            else f"first build of this runtime ({variant.describe()})"
        )
    for folder in folders:
        runtime = _load(folder)
        if runtime is not None and runtime.variant == variant and _intact(runtime):
            return runtime, None
        shutil.rmtree(folder, ignore_errors=True)
    return None, "the cached runtime was damaged or incomplete; compiling it again"


def from_wheel(variant: Variant) -> tuple[CachedRuntime | None, str | None]:
    """The installed runtime wheel's runtime if it can package `variant`, and None; else None and why not (None
    as well when no wheel is installed: nothing to explain)."""
    wheel = prebuilt.find()
    if wheel is None:
        return None, None
    why = wheel.mismatch(
        tauri=versions.TAURI,
        triple=variant.triple,
        sources=runtime_source.digest(),
        profile=variant.profile,
        features=variant.features,
        builder=variant.builder,
    )
    if why is None and not wheel.intact():
        why = f"the installed {prebuilt.DIST} wheel's runtime binary fails its checksum (damaged)"
    if why is not None:
        return None, why
    assert wheel.manifest is not None  # mismatch() said so otherwise
    v = wheel.manifest["variant"]
    carried = Variant(v["profile"], tuple(v["features"]), v["triple"], v["builder"])
    return CachedRuntime(carried, wheel.folder, wheel.manifest, source="wheel"), None


def _load(folder: Path) -> CachedRuntime | None:
    try:
        meta = jsonio.read(folder / META)
        v = meta["variant"]
        variant = Variant(v["profile"], tuple(v["features"]), v["triple"], v["builder"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if meta.get("schema") != SCHEMA or meta.get("id") != folder.name or meta.get("tauri") != versions.TAURI:
        return None
    return CachedRuntime(variant, folder, meta)


def _intact(runtime: CachedRuntime) -> bool:
    try:
        return (
            runtime.binary.stat().st_size == runtime.meta["size"]
            and file_digest(runtime.binary) == runtime.meta["sha256"]
        )
    except (OSError, KeyError):
        return False


def entries(paths: Paths) -> list[CachedRuntime]:
    """Every cached or carried runtime whose metadata reads (for `cache info`)."""
    found = []
    for base in (paths.runtimes, carried(paths)):
        for folder in sorted(base.iterdir()) if base.is_dir() else []:
            if folder.is_dir() and folder != paths.runtime_workspace and not folder.name.startswith("."):
                runtime = _load(folder)
                if runtime is not None:
                    found.append(runtime)
    return found


def carry(runtime: CachedRuntime, paths: Paths) -> CachedRuntime:
    """Copy a compiled runtime into the offline store, so `offline export` takes it along."""
    dest = carried(paths) / runtime.variant.id
    if runtime.folder == dest:
        return runtime
    staging = carried(paths) / f".{runtime.variant.id}.copy"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(runtime.folder, staging)
    shutil.rmtree(dest, ignore_errors=True)
    os.replace(staging, dest)
    return CachedRuntime(runtime.variant, dest, runtime.meta)


def store(paths: Paths, variant: Variant, built: Path, *, compile_s: float) -> CachedRuntime:
    """Copy a freshly compiled binary into the cache, with its metadata; the entry appears whole or not at all."""
    base = paths.runtimes
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=base, prefix=f".{variant.id}."))
    try:
        binary = staging / binary_name(runtime_source.CRATE)
        shutil.copy2(built, binary)
        meta = {
            "schema": SCHEMA,
            "id": variant.id,
            "tauri": versions.TAURI,
            "tauri_cli": versions.TAURI_CLI,
            "variant": {
                "profile": variant.profile,
                "features": list(variant.features),
                "triple": variant.triple,
                "builder": variant.builder,
            },
            "sources": runtime_source.digest(),
            "sha256": file_digest(binary),
            "size": binary.stat().st_size,
            "localpack": __version__,
            "compile_s": round(compile_s, 1),
            "compiled": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        }
        write_atomic(staging / META, (json.dumps(meta, indent=1) + "\n").encode())
        final = base / variant.id
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return CachedRuntime(variant, final, meta)


def stage(runtime: CachedRuntime, target_dir: Path, app_binary: str) -> Path:
    """Put a copy of the runtime where `tauri bundle --target <triple>` looks for the app's binary.
    A copy, not a link: the bundler patches the binary in place for each bundle type."""
    dest = target_dir / runtime.variant.triple / runtime.variant.profile / binary_name(app_binary)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.copyfile(runtime.binary, tmp)
    tmp.chmod(0o755)
    os.replace(tmp, dest)
    return dest


def age(runtime: CachedRuntime) -> str:
    """'compiled 3 h ago' for the notes a build prints."""
    try:
        when = datetime.fromisoformat(runtime.meta["compiled"].replace("Z", "+00:00")).timestamp()
    except (KeyError, ValueError):
        return "compiled earlier"
    minutes = max(0, int((time.time() - when) / 60))
    if minutes < 60:
        return f"compiled {minutes} min ago"
    if minutes < 48 * 60:
        return f"compiled {minutes // 60} h ago"
    return f"compiled {minutes // (24 * 60)} days ago"
