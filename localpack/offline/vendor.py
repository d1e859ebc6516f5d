"""Crates for an offline build: lock, `cargo vendor`, and cargo's source replacement.

Source replacement goes in `src-tauri/.cargo/config.toml` (Tauri runs cargo there, for `metadata`
and `build`). Cargo reads `[source]` tables from config files and `--config`, not from
`CARGO_SOURCE_*` environment variables (checked with cargo 1.95: "no matching package … location
searched: crates.io index"), and the Tauri CLI cannot pass `--config` to its `cargo metadata`
calls. The file is not in render's manifest, so render leaves it alone; an online build removes it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import IO

from localpack.core import proc
from localpack.errors import ConfigError, ToolMissing
from localpack.fsutil import write_atomic

SOURCE_CONFIG = Path(".cargo") / "config.toml"
MARKER = "# Written by localpack for an offline build (vendored crates); an online build removes it.\n"
SOURCE_NAME = "localpack-vendored"
CARGO_TIMEOUT = 1800.0


def source_config_text(vendor_dir: Path) -> str:
    import tomli_w

    return MARKER + tomli_w.dumps(
        {
            "source": {
                "crates-io": {"replace-with": SOURCE_NAME},
                SOURCE_NAME: {"directory": str(vendor_dir)},
            }
        }
    )


def write_source_config(src_tauri: Path, vendor_dir: Path) -> Path:
    """Point crates.io at `vendor_dir` for cargo runs in `src_tauri` (unchanged file: not rewritten)."""
    path = src_tauri / SOURCE_CONFIG
    text = source_config_text(vendor_dir)
    if path.is_file():
        current = path.read_text(encoding="utf-8", errors="replace")
        if current == text:
            return path
        if not current.startswith(MARKER):
            raise ConfigError(
                f"{path} exists and was not written by localpack",
                "remove it (localpack writes its own for offline builds)",
            )
    write_atomic(path, text)
    return path


def remove_source_config(src_tauri: Path) -> None:
    path = src_tauri / SOURCE_CONFIG
    if path.is_file() and path.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
        path.unlink()
        try:
            path.parent.rmdir()
        except OSError:
            pass


def lock_and_vendor(src_tauri: Path, vendor_dir: Path, log_file: IO[str] | None = None) -> Path:
    """Resolve the lock file (new, or brought up to date with the manifest with minimal changes), then
    copy every locked crate into `vendor_dir`. Needs crates.io or the mirror of the user's cargo config."""
    remove_source_config(src_tauri)
    if (src_tauri / "Cargo.lock").exists():
        _cargo(["update", "--workspace"], src_tauri, log_file)
    else:
        _cargo(["generate-lockfile"], src_tauri, log_file)
    vendor_dir.mkdir(parents=True, exist_ok=True)
    # --no-delete: the folder is shared, another app's crates stay; --respect-source-config: a
    # mirror configured for crates.io (corporate proxy) is used, as for any other cargo command.
    _cargo(
        ["vendor", "--locked", "--versioned-dirs", "--no-delete", "--respect-source-config", str(vendor_dir)],
        src_tauri,
        log_file,
    )
    return src_tauri / "Cargo.lock"


def _cargo(args: list[str], cwd: Path, log_file: IO[str] | None) -> None:
    cargo = shutil.which("cargo") or "cargo"
    done = proc.run(
        [cargo, *args], cwd=cwd, env={"CARGO_NET_OFFLINE": "false"}, timeout=CARGO_TIMEOUT, log_file=log_file
    )
    if not done.ok:
        last = next((line.strip() for line in reversed(done.lines) if line.strip()), "")
        raise ToolMissing(
            f"`cargo {args[0]}` failed: {last}",
            "prefetch needs crates.io (or a mirror set in your cargo config); check the network "
            "and run `localpack prefetch` again",
        )
