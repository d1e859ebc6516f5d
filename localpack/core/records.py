"""Build records: one JSON file per build in `<state>/builds/`, the input of `report`, `cache info` and the
ui's history. A `BuildRecord` is written by `build/pipeline.py`; its JSON shape (schema 1):

  {"schema": 1, "id": "<app>-<UTC timestamp>", "localpack": "0.1.0",
   "app": "example", "title": "Example", "version": "1.0.0",
   "config": {section: {key: value}}, "config_digest": "<sha256 of config>",
   "targets": ["deb", "rpm"], "debug": false, "offline": false,
   "platform": {"os": "linux", "arch": "x86_64", "release": "6.1.0", "distro": "Debian GNU/Linux 12"},
   "tools": {"tauri-cli": "2.12.5", "rustc": "1.95.0", ...},
   "started": "2026-11-24T07:00:00Z",
   "phases": {"lock": 0.0, "preflight": 0.4, "render": 0.01, "runtime": 80.2, "bundle": 3.0, "collect": 0.1},
   "workspace": "/…", "log": "/…/logs/example-20261124T070000123456.log", "out": "/…/dist",
   "runtime": {"id", "compiled", "reason", "source"} | null, "duration_s": 12.3,
   "ok": false, "error": {"code", "message", "hint", "cause"} | null,
   "artifacts": [{"path", "format", "size", "sha256"}]}

A record file is input (`report RECORD`: anyone can hand one over), so `load` checks it like any: a regular
file, bounded, JSON, this schema, every present key of its JSON type, the id's form, plain-value tables.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from localpack import jsonio
from localpack.core.redact import redact_data
from localpack.errors import ConfigError
from localpack.fsutil import PRIVATE_FILE, private_dir, read_user_file, write_atomic
from localpack.paths import Paths

SCHEMA = 1
MAX_BYTES = 16 << 20
# "<app>-<UTC %Y%m%dT%H%M%S%f>": also the file name of the record and of a pending report, so nothing else.
ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}-\d{8}T\d{6,12}$")
_NONE = type(None)


def _types(*types: type) -> dict[str, tuple[type, ...]]:
    """A field's metadata: the JSON types its value may have in a record file."""
    return {"types": types}


@dataclass
class BuildRecord:
    id: str = field(default="", metadata=_types(str))
    localpack: str = field(default="", metadata=_types(str))
    app: str = field(default="", metadata=_types(str))
    title: str = field(default="", metadata=_types(str))
    version: str = field(default="", metadata=_types(str))
    config: dict[str, Any] = field(default_factory=dict, metadata=_types(dict))
    config_digest: str = field(default="", metadata=_types(str))
    targets: list[str] = field(default_factory=list, metadata=_types(list))
    debug: bool = field(default=False, metadata=_types(bool))
    offline: bool = field(default=False, metadata=_types(bool))
    platform: dict[str, str] = field(default_factory=dict, metadata=_types(dict))
    tools: dict[str, str] = field(default_factory=dict, metadata=_types(dict))
    started: str = field(default="", metadata=_types(str))
    phases: dict[str, float] = field(default_factory=dict, metadata=_types(dict))
    workspace: str = field(default="", metadata=_types(str))
    log: str | None = field(default=None, metadata=_types(str, _NONE))
    out: str = field(default="", metadata=_types(str))
    runtime: dict[str, Any] | None = field(default=None, metadata=_types(dict, _NONE))
    duration_s: float = field(default=0.0, metadata=_types(int, float))
    ok: bool = field(default=False, metadata=_types(bool))
    error: dict[str, Any] | None = field(default=None, metadata=_types(dict, _NONE))
    artifacts: list[dict[str, Any]] = field(default_factory=list, metadata=_types(list))

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, **{f.name: getattr(self, f.name) for f in fields(self)}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildRecord:
        """A record from its JSON object (keys it lacks take their defaults); `ValueError` says what is wrong."""
        problem = _problem(data)
        if problem:
            raise ValueError(problem)
        record = cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
        if record.error is not None:  # its keys too: a reader may show any of them
            record.error = {"code": "", "message": "", "hint": "", "cause": None, **record.error}
        return record


def _problem(record: dict[str, Any]) -> str | None:
    """What is wrong with a record's fields (None when nothing): types, the id's form, plain-value tables."""
    for f in fields(BuildRecord):
        types = f.metadata["types"]
        value = record.get(f.name)
        if f.name in record and (not isinstance(value, types) or isinstance(value, bool) != (bool in types)):
            return f"{f.name!r} has the wrong type"
    if not ID_RE.match(str(record.get("id", ""))):
        return "'id' is not '<app>-<UTC time>'"
    for key in ("platform", "tools", "error", "phases"):
        table = record.get(key) or {}
        if not all(isinstance(v, (str, int, float, type(None))) for v in table.values()):
            return f"{key!r} must map names to plain values"
    if not all(isinstance(t, str) for t in record.get("targets", [])):
        return "'targets' must be a list of names"
    error = record.get("error") or {}
    if any(not isinstance(error.get(k, ""), str) for k in ("code", "message", "hint")):
        return "'error' must hold its code, message and hint as text"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (record.get("phases") or {}).values()):
        return "'phases' must map names to seconds"
    config = record.get("config") or {}
    if not all(isinstance(v, dict) for v in config.values()):
        return "'config' must map sections to tables"
    if not isinstance((config.get("report") or {}).get("repo", ""), str):
        return "'config.report.repo' must be text"
    for artifact in record.get("artifacts", []):
        if not (
            isinstance(artifact, dict)
            and all(isinstance(artifact.get(k), str) for k in ("path", "format", "sha256"))
            and isinstance(artifact.get("size"), int)
            and not isinstance(artifact.get("size"), bool)
        ):
            return "'artifacts' must list {path, format, size, sha256} objects"
    runtime = record.get("runtime") or {}
    if not all(isinstance(v, (str, bool, type(None))) for v in runtime.values()):
        return "'runtime' must map names to plain values"
    return None


def read(path: Path) -> BuildRecord:
    """A record file as a `BuildRecord` (checked as `load` checks it; keys it lacks take their defaults)."""
    return BuildRecord.from_json(load(path))


def save(paths: Paths, record: BuildRecord) -> Path:
    """Write a record atomically, secrets masked as in the log, readable by its owner only; returns its path."""
    path = private_dir(paths.records) / f"{record.id}.json"
    write_atomic(path, json.dumps(redact_data(record.to_json()), ensure_ascii=False, indent=2), mode=PRIVATE_FILE)
    return path


def load(path: Path) -> dict[str, Any]:
    """A record file as its JSON object, checked like any input (`BuildRecord.from_json`): for readers of the
    file as it is (`report`, the ui's history), keys it lacks stay absent."""
    data = read_user_file(
        path, "build record", "pass a file from the state dir's builds/, or use --last", limit=MAX_BYTES
    )
    try:
        record = jsonio.loads(data, limit=MAX_BYTES)
    except ValueError as e:
        raise ConfigError(
            f"{path}: not a build record (not valid JSON: {e})", "pass a file from the state dir's builds/"
        ) from None
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        raise ConfigError(f"{path}: not a build record of this localpack version", "build again, then report")
    try:
        BuildRecord.from_json(record)
    except ValueError as e:
        raise ConfigError(f"{path}: not a valid build record: {e}", "pass a file localpack wrote to builds/") from None
    return record


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
