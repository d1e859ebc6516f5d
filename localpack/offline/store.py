"""Where prefetched data lives in the cache (the platform it is for: `core.platform.platform_id`).

`<cache>/offline/`:
- `vendor/`      `cargo vendor --versioned-dirs` output, shared by every app (crates accumulate:
                 a prefetch never deletes another app's crates; versions sit side by side)
- `locks/<app>/Cargo.lock`  the lock file each app's prefetch resolved (what its offline build uses)
- `npm/`         `npm pack` tarballs of the pinned Tauri CLI and its platform package
- `tools/`       the Tauri bundler's downloads, byte for byte as published (checksum-verified)
- `runtimes/`    compiled runtime binaries carried along (build/runtime_cache.py)
- `state.json`   localpack and Tauri CLI versions, platform, targets and apps prefetched
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localpack import jsonio
from localpack.fsutil import write_atomic
from localpack.paths import Paths

STATE = "state.json"


@dataclass(frozen=True)
class Store:
    root: Path

    @classmethod
    def of(cls, paths: Paths) -> Store:
        return cls(paths.offline_store)

    @property
    def vendor(self) -> Path:
        return self.root / "vendor"

    @property
    def locks(self) -> Path:
        return self.root / "locks"

    def lock(self, app: str) -> Path:
        return self.locks / app / "Cargo.lock"

    @property
    def npm(self) -> Path:
        return self.root / "npm"

    @property
    def tools(self) -> Path:
        return self.root / "tools"

    @property
    def runtimes(self) -> Path:
        return self.root / "runtimes"

    def has_crates(self) -> bool:
        return self.vendor.is_dir() and any(p.is_dir() for p in self.vendor.iterdir())

    def read_state(self) -> dict[str, Any]:
        try:
            data = jsonio.read(self.root / STATE)
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def write_state(self, data: dict[str, Any]) -> None:
        write_atomic(self.root / STATE, json.dumps(data, indent=1, sort_keys=True) + "\n")
