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
import re
from pathlib import Path
from typing import Any

from localpack.core.redact import redact_data
from localpack.errors import ConfigError
from localpack.fsutil import PRIVATE_FILE, private_dir, read_user_file, write_atomic
from localpack.paths import Paths

SCHEMA = 1
MAX_BYTES = 16 << 20
# "<app>-<UTC %Y%m%dT%H%M%S%f>": also the file name of the record and of a pending report, so nothing else.
ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}-\d{8}T\d{6,12}$")
# Documented keys and their JSON types; a record is input (`report RECORD`), so each present key is checked.
_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "localpack": (str,), "app": (str,), "title": (str,), "version": (str,), "config": (dict,),
    "config_digest": (str,), "targets": (list,), "debug": (bool,), "offline": (bool,), "platform": (dict,),
    "tools": (dict,), "started": (str,), "duration_s": (int, float), "phases": (dict,), "workspace": (str,),
    "log": (str, type(None)), "out": (str,), "ok": (bool,), "error": (dict, type(None)), "artifacts": (list,),
}


def save(paths: Paths, record: dict[str, Any]) -> Path:
    """Write a record atomically, secrets masked as in the log, readable by its owner only; returns its path."""
    path = private_dir(paths.records) / f"{record['id']}.json"
    write_atomic(path, json.dumps(redact_data(record), ensure_ascii=False, indent=2), mode=PRIVATE_FILE)
    return path


def load(path: Path) -> dict[str, Any]:
    """A record file, checked like any input: a regular file, JSON, this schema, every known key of its type."""
    data = read_user_file(path, "build record", "pass a file from the state dir's builds/, or use --last",
                          limit=MAX_BYTES)
    try:
        record = json.loads(data.decode("utf-8"))
    except ValueError:
        raise ConfigError(f"{path}: not a build record (invalid JSON)", "pass a file from the state dir's builds/") from None
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        raise ConfigError(f"{path}: not a build record of this localpack version", "build again, then report")
    problem = check(record)
    if problem:
        raise ConfigError(f"{path}: not a valid build record: {problem}", "pass a file localpack wrote to builds/")
    return record


def check(record: dict[str, Any]) -> str | None:
    """What is wrong with a record's fields (None when nothing): types, the id's form, plain-text tables."""
    for key, types in _TYPES.items():
        if key in record and (not isinstance(record[key], types) or isinstance(record[key], bool) != (bool in types)):
            return f"{key!r} has the wrong type"
    if not ID_RE.match(str(record.get("id", ""))):
        return "'id' is not '<app>-<UTC time>'"
    for key in ("platform", "tools", "error", "phases"):
        table = record.get(key) or {}
        if not all(isinstance(v, (str, int, float, type(None))) for v in table.values()):
            return f"{key!r} must map names to plain values"
    if not all(isinstance(t, str) for t in record.get("targets", [])):
        return "'targets' must be a list of names"
    return None


def all_records(paths: Paths) -> list[Path]:
    """Every record, oldest first (ids embed a sortable UTC timestamp; mtime breaks ties)."""
    if not paths.records.is_dir():
        return []
    return sorted((p for p in paths.records.glob("*.json") if p.is_file()), key=lambda p: (p.stat().st_mtime, p.name))


def latest(paths: Paths, *, failed: bool = False) -> Path | None:
    for path in reversed(all_records(paths)):
        if not failed:
            return path
        try:
            if load(path).get("ok") is False:
                return path
        except ConfigError:
            continue
    return None
