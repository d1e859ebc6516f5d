"""The JSON Schema of localpack.toml, made from the config model: the sections and keys of `model.py`
(type, default, description) and each key's `Rule` fragment from `rules.py`, so it cannot drift from the
validation. Editors with TOML schema support (taplo, Even Better TOML) read it through the `#:schema`
line `init` writes, to complete and check keys as the user types.

The shipped copy, `localpack.schema.json` beside this module, is checked against `json_schema()` by the
tests; `python -m localpack.config.schema` rewrites it. Checks that need the file system (a folder holds
index.html, an icon exists) or compare two keys' numbers (min_width ≤ width) stay localpack's own.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from localpack.config import model

SCHEMA_FILE = Path(__file__).with_name("localpack.schema.json")
DRAFT = "http://json-schema.org/draft-07/schema#"
SECTION_DOCS = {
    "app": "The app: its names, version, and what it wraps (url or dist).",
    "window": "The main window.",
    "behavior": "What the app does around the page.",
    "bundle": "Installers and their metadata.",
    "report": "Where `localpack report` files build failures.",
}


def _type(annotation: str) -> dict[str, Any]:
    if annotation.startswith("tuple"):
        return {"type": "array", "items": {"type": "string"}}
    for word, kind in (("bool", "boolean"), ("int", "integer"), ("Path", "string"), ("str", "string")):
        if word in annotation:
            return {"type": kind}
    raise TypeError(f"no JSON type for {annotation!r}")  # pragma: no cover - a new annotation in model.py


def key_schema(f: dataclasses.Field) -> dict[str, Any]:
    """One key: its type, its rule's fragment (an unset default always allowed), description and default."""
    schema = _type(str(f.type))
    rule = f.metadata.get("rule")
    if rule is not None:
        fragment = dict(rule.schema)
        if schema["type"] == "array":
            schema["items"] = {**schema["items"], **fragment.pop("items", {})}
        if fragment and f.default == "":
            schema["anyOf"] = [{"const": ""}, fragment]
        else:
            schema.update(fragment)
    doc = f.metadata.get("doc")
    if doc:
        schema["description"] = doc
    default = f.default
    if default is not None and default is not dataclasses.MISSING:
        schema["default"] = list(default) if isinstance(default, tuple) else default
    return schema


def _section(name: str, cls: type) -> dict[str, Any]:
    section: dict[str, Any] = {
        "type": "object",
        "description": SECTION_DOCS[name],
        "additionalProperties": False,
        "properties": {f.name: key_schema(f) for f in dataclasses.fields(cls)},
    }
    if name == model.REQUIRED[0]:
        section["required"] = [model.REQUIRED[1]]
    if name == model.EXACTLY_ONE[0]:
        section["oneOf"] = [{"required": [key], "properties": {key: {"minLength": 1}}}
                            for key in model.EXACTLY_ONE[1]]
    if name == "behavior":
        section["allOf"] = [{
            "if": {"required": [key], "properties": {key: {"const": True}}},
            "then": {"required": ["tray"], "properties": {"tray": {"const": True}}},
        } for key in model.NEEDS_TRAY]
    return section


def json_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": "localpack.toml",
        "description": "One desktop app for localpack: "
                       "`localpack build` turns it into installers.",
        "type": "object",
        "additionalProperties": False,
        "required": [model.REQUIRED[0]],
        "properties": {name: _section(name, cls) for name, cls in model.SECTIONS.items()},
    }


def text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def directive() -> str:
    """The first line `init` writes: where editors find the schema (the installed copy, as a file URL)."""
    return f"#:schema {SCHEMA_FILE.resolve().as_uri()}"


if __name__ == "__main__":  # pragma: no cover - python -m localpack.config.schema
    SCHEMA_FILE.write_text(text(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}", file=sys.stderr)
