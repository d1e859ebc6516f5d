"""The JSON Schema of localpack.toml, made from the key descriptors: the sections and keys of `keys.py`
(kind, default, help) and each key's `Rule` fragment from `rules.py`, so it cannot drift from the
validation. Editors with TOML schema support (taplo, Even Better TOML) read it through the `#:schema`
line `init` writes, to complete and check keys as the user types.

The shipped copy, `localpack.schema.json` beside this module, is checked against `json_schema()` by the
tests; `python -m localpack.config.schema` rewrites it. Checks that need the file system (a folder holds
index.html, an icon exists) or compare two keys' numbers (min_width ≤ width) stay localpack's own.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from localpack.config import keys

SCHEMA_FILE = Path(__file__).with_name("localpack.schema.json")
DRAFT = "http://json-schema.org/draft-07/schema#"


def _type(key: keys.Key) -> dict[str, Any]:
    item = {int: "integer", bool: "boolean"}.get(key.kind.item, "string")
    return {"type": "array", "items": {"type": item}} if key.kind.many else {"type": item}


def key_schema(key: keys.Key) -> dict[str, Any]:
    """One key: its type, its rule's fragment (an unset default always allowed), description and default."""
    schema = _type(key)
    if key.rule is not None:
        fragment = dict(key.rule.schema)
        if key.kind.many:
            schema["items"] = {**schema["items"], **fragment.pop("items", {})}
        if fragment and key.default == "":
            schema["anyOf"] = [{"const": ""}, fragment]
        else:
            schema.update(fragment)
    if key.help:
        schema["description"] = key.help
    if key.default is not None:
        schema["default"] = list(key.default) if isinstance(key.default, tuple) else key.default
    return schema


def _section(name: str, doc: str) -> dict[str, Any]:
    section: dict[str, Any] = {
        "type": "object",
        "description": doc,
        "additionalProperties": False,
        "properties": {k.name: key_schema(k) for k in keys.of_section(name)},
    }
    if name == keys.REQUIRED[0]:
        section["required"] = [keys.REQUIRED[1]]
    if name == keys.EXACTLY_ONE[0]:
        section["oneOf"] = [{"required": [key], "properties": {key: {"minLength": 1}}} for key in keys.EXACTLY_ONE[1]]
    if name == "behavior":
        section["allOf"] = [
            {
                "if": {"required": [key], "properties": {key: {"const": True}}},
                "then": {"required": ["tray"], "properties": {"tray": {"const": True}}},
            }
            for key in keys.NEEDS_TRAY
        ]
    return section


def json_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": "localpack.toml",
        "description": "One desktop app for localpack: `localpack build` turns it into installers.",
        "type": "object",
        "additionalProperties": False,
        "required": [keys.REQUIRED[0]],
        "properties": {name: _section(name, doc) for name, doc in keys.SECTIONS.items()},
    }


def text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def directive() -> str:
    """The first line `init` writes: where editors find the schema (the installed copy, as a file URL)."""
    return f"#:schema {SCHEMA_FILE.resolve().as_uri()}"


if __name__ == "__main__":  # pragma: no cover - python -m localpack.config.schema
    SCHEMA_FILE.write_text(text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}", file=sys.stderr)
