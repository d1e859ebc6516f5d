"""Build records: one JSON file per build in `<state>/builds/`, the input of `report` and `cache info`.

Shape (schema 1):
  {"schema": 1, "id": "<app>-<UTC timestamp>", "localpack": "0.1.0",
   "app": "example", "title": "Example", "version": "1.0.0",
   "config": {section: {key: value}}, "config_digest": "<sha256 of config>",
   "targets": ["deb", "rpm"], "debug": false, "offline": false,
   "platform": {"os": "linux", "arch": "x86_64", "release": "6.1.0", "distro": "Debian GNU/Linux 12"},
   "tools": {"tauri-cli": "2.12.5", "rustc": "1.95.0", ...},
   "started": "2026-11-24T07:00:00Z", "duration_s": 12.3,
   "phases": {"preflight": 0.4, "render": 0.01, "tauri": 11.0, "collect": 0.1},
   "workspace": "/…", "log": "/…/logs/example-20261124T070000.log", "out": "/…/dist",
   "ok": false, "error": {"code", "message", "hint", "cause"} | null,
   "artifacts": [{"path", "format", "size", "sha256"}]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from localpack.errors import ConfigError
from localpack.fsutil import write_atomic
from localpack.paths import Paths

SCHEMA = 1


def save(paths: Paths, record: dict[str, Any]) -> Path:
    """Write a record atomically; returns its path."""
    path = paths.records / f"{record['id']}.json"
    write_atomic(path, json.dumps(record, ensure_ascii=False, indent=2))
    return path


def load(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such build record", "`localpack report --last` uses the newest one") from None
    except ValueError:
        raise ConfigError(f"{path}: not a build record (invalid JSON)", "pass a file from the state dir's builds/") from None
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        raise ConfigError(f"{path}: not a build record of this localpack version", "build again, then report")
    return record


def all_records(paths: Paths) -> list[Path]:
    """Every record, oldest first (ids embed a sortable UTC timestamp; mtime breaks ties)."""
    if not paths.records.is_dir():
        return []
    return sorted(paths.records.glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name))


def latest(paths: Paths, *, failed: bool = False) -> Path | None:
    for path in reversed(all_records(paths)):
        if not failed:
            return path
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("ok") is False:
                return path
        except ValueError:
            continue
    return None
