"""A stand-in for the one cargo command `tauri bundle` runs, for machines without Rust.

Packaging around a compiled runtime needs no compiler, but the Tauri CLI still asks cargo where the target
dir is (`cargo metadata --no-deps --format-version 1`; `rustc -vV` is avoided by passing `--target`). When
no cargo is installed, localpack puts this on the bundler's PATH: it answers that query from the app's
Cargo.toml and refuses everything else, saying that compiling needs Rust.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

QUERY = ["metadata", "--no-deps", "--format-version", "1"]


def needed() -> bool:
    """No cargo on PATH (where the Tauri CLI looks): the bundler needs the stand-in."""
    return shutil.which("cargo") is None


def install(folder: Path) -> Path:
    """Write `folder/cargo`, an executable that runs this module with this Python; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "cargo"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m localpack.build.cargo_shim "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def metadata(manifest_dir: Path) -> dict[str, Any]:
    """What `cargo metadata --no-deps` says about a one-package project, as far as the Tauri CLI reads it."""
    manifest = manifest_dir / "Cargo.toml"
    package = tomllib.loads(manifest.read_text(encoding="utf-8"))["package"]
    name, version = package["name"], package["version"]
    package_id = f"path+file://{manifest_dir.as_posix()}#{name}@{version}"
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR") or manifest_dir / "target")
    return {
        "packages": [
            {
                "name": name,
                "version": version,
                "id": package_id,
                "manifest_path": str(manifest),
                "dependencies": [],
                "features": {},
                "edition": package.get("edition", "2021"),
                "targets": [
                    {
                        "kind": ["bin"],
                        "crate_types": ["bin"],
                        "name": name,
                        "src_path": str(manifest_dir / "src" / "main.rs"),
                    }
                ],
            }
        ],
        "workspace_members": [package_id],
        "workspace_default_members": [package_id],
        "resolve": None,
        "target_directory": str(target_dir),
        "workspace_root": str(manifest_dir),
        "version": 1,
        "metadata": None,
    }


def main(argv: list[str]) -> int:
    if argv[:4] != QUERY:
        print(
            f"localpack's cargo stand-in answers `cargo {' '.join(QUERY)}` only, not `cargo {' '.join(argv)}`: "
            "compiling needs Rust (https://rustup.rs)",
            file=sys.stderr,
        )
        return 101
    print(json.dumps(metadata(Path.cwd())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
