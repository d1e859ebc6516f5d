"""The New app form: its fields come from the key descriptors (`config.keys.KEYS`), so every key of
`localpack.toml` is there with the file's default, and its values become the same overrides the CLI's
flags are. Validation is `config.model.load`'s: nothing here checks a value itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localpack.config import keys
from localpack.config.init_file import name_from_folder, name_from_url
from localpack.config.model import whole_number
from localpack.core.platform import host_os
from localpack.core.targets import BY_OS
from localpack.errors import ConfigError
from localpack.fsutil import path_problem

# The app section in the order a person fills it in: where from, what it is called, how it looks.
APP_ORDER = (
    "url",
    "dist",
    "dist_include",
    "name",
    "title",
    "icon",
    "icon_round",
    "identifier",
    "version",
    "description",
)
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Field:
    key: str  # "window.width"
    kind: str  # a `keys.Kind` value: text, multiline, choice, int, bool, list, targets, path, icon, paths
    default: Any
    choices: tuple[str, ...] = ()
    doc: str = ""

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def id(self) -> str:
        return "f-" + self.key.replace(".", "-").replace("_", "-")

    def shown(self, value: Any) -> Any:
        """The value as the input shows it (lists one per line)."""
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return "\n".join(str(v) for v in value)
        return value


def field_of(key: keys.Key) -> Field:
    """A key's form field: installer formats offer this platform's, a choice its `choices`."""
    choices = BY_OS.get(host_os(), ()) if key.kind is keys.Kind.TARGETS else key.choices
    return Field(key.dotted, key.kind.value, key.default, choices, key.help)


def fields() -> dict[str, list[Field]]:
    """Section → its fields, in the descriptors' order (the app section in APP_ORDER, then any other key)."""
    out: dict[str, list[Field]] = {}
    for section in keys.SECTIONS:
        items = keys.of_section(section)
        if section == "app":
            items = tuple(
                sorted(items, key=lambda k: APP_ORDER.index(k.name) if k.name in APP_ORDER else len(APP_ORDER))
            )
        out[section] = [field_of(k) for k in items]
    return out


def by_key() -> dict[str, Field]:
    return {f.key: f for group in fields().values() for f in group}


def parse(form: Any, base: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Form data → (config overrides as the CLI's flags give them, what the inputs showed).

    Only values that differ from the file's defaults become overrides. Paths are relative to `base` (the
    folder `localpack ui --dir` names). A number that is not one is passed on as text, so the config's
    own rule says what is wrong. The source is the URL or the folder, as the radio button says.
    """
    values: dict[str, Any] = {}
    shown: dict[str, str] = {}
    source = form.get("source", "url")
    for key, f in by_key().items():
        if f.kind in ("icon", "targets"):
            continue
        if f.kind == "bool":
            value: Any = form.get(key) == "on"
            shown[key] = "on" if value else ""
            if value != f.default:
                values[key] = value
            continue
        raw = str(form.get(key) or "")
        shown[key] = raw
        text = raw if f.kind == "multiline" else raw.strip()
        if (key == "app.url" and source != "url") or (key == "app.dist" and source != "dist") or not text:
            continue
        if f.kind == "int":
            values[key] = whole_number(text)
        elif f.kind in ("list", "paths"):
            items = [line.strip() for line in text.splitlines() if line.strip()]
            values[key] = [_path_value(item, base) for item in items] if f.kind == "paths" else items
        elif f.kind == "path":
            values[key] = _path_value(text, base)
        elif text != f.default:
            values[key] = text
    targets = [t for t in form.getlist("bundle.targets") if t in BY_OS.get(host_os(), ())]
    if targets:
        values["bundle.targets"] = targets
    if "app.name" not in values:
        derived = derive_name(values.get("app.url"), values.get("app.dist"))
        if derived:
            values["app.name"] = derived
    return values, shown


def resolve(text: str, base: Path) -> Path:
    """A path typed into the page: `~` expanded, relative ones against `base`, as the CLI does against its cwd.
    One that cannot name a file (a NUL byte, `~nobody`) is a `ConfigError` naming it."""
    problem = path_problem(text)
    if problem:
        raise ConfigError(f"{text!r} {problem}", "type the path of a folder of this machine")
    return (base / Path(text).expanduser()).resolve()


def _path_value(text: str, base: Path) -> Path | str:
    """A path field's value: resolved, or the text as typed when it cannot name a file, so the config's type
    check shows the rule next to the field."""
    return text if path_problem(text) else resolve(text, base)


def derive_name(url: str | None, dist: Path | None) -> str:
    """The name `localpack init` would choose for this source ("" without one)."""
    if url:
        return name_from_url(url)
    if dist is not None:
        return name_from_folder(dist)
    return ""


def field_errors(
    problems: tuple[tuple[str, str], ...],
) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]]]:
    """`InvalidConfig.problems` → (field key → its problems, the problems no field shows)."""
    known = by_key()
    mine: dict[str, list[tuple[str, str]]] = {}
    other: list[tuple[str, str]] = []
    for key, text in problems:
        if key in known:
            mine.setdefault(key, []).append((key, text))
        else:
            other.append((key, text))
    return mine, other
