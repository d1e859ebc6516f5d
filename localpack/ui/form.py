"""The New app form: its fields come from the config model (`config.model.SECTIONS`), so every key of
`localpack.toml` is there with the file's default, and its values become the same overrides the CLI's
flags are. Validation is `config.model.load`'s: nothing here checks a value itself.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localpack.config import model, rules
from localpack.config.init_file import name_from_folder, name_from_url
from localpack.core.targets import BY_OS
from localpack.core.platform import host_os

# Keys whose text must be one of a few values: a <select>.
CHOICES: dict[str, tuple[str, ...]] = {
    "window.theme": rules.THEMES,
    "behavior.external_links": rules.EXTERNAL_LINKS,
    "bundle.category": ("", *rules.CATEGORIES),
}
# The app section in the order a person fills it in: where from, what it is called, how it looks.
APP_ORDER = ("url", "dist", "name", "title", "icon", "icon_round", "identifier", "version", "description")
MULTILINE = {"app.description", "bundle.long_description"}
UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Field:
    key: str  # "window.width"
    kind: str  # text, multiline, int, bool, choice, list, paths, path, icon, targets
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


def _kind(key: str, annotation: str) -> str:
    if key == "app.icon":
        return "icon"
    if key == "bundle.targets":
        return "targets"
    if key in CHOICES:
        return "choice"
    if key in MULTILINE:
        return "multiline"
    if annotation.startswith("tuple"):
        return "paths" if "Path" in annotation else "list"
    if "bool" in annotation:
        return "bool"
    if "int" in annotation:
        return "int"
    if "Path" in annotation:
        return "path"
    return "text"


def fields() -> dict[str, list[Field]]:
    """Section → its fields, in the model's order (the app section in APP_ORDER)."""
    out: dict[str, list[Field]] = {}
    for section, cls in model.SECTIONS.items():
        items = dataclasses.fields(cls)
        if section == "app":
            items = sorted(items, key=lambda f: APP_ORDER.index(f.name))
        out[section] = []
        for f in items:
            key = f"{section}.{f.name}"
            kind = _kind(key, str(f.type))
            choices = CHOICES.get(key, BY_OS.get(host_os(), ()) if kind == "targets" else ())
            out[section].append(Field(key, kind, f.default, choices, f.metadata.get("doc", "")))
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
            values[key] = int(text) if re.fullmatch(r"[+-]?\d+", text) else text
        elif f.kind in ("list", "paths"):
            items = [line.strip() for line in text.splitlines() if line.strip()]
            values[key] = [resolve(item, base) for item in items] if f.kind == "paths" else items
        elif f.kind == "path":
            values[key] = resolve(text, base)
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
    """A path typed into the page: `~` expanded, relative ones against `base`, as the CLI does against its cwd."""
    return (base / Path(text).expanduser()).resolve()


def derive_name(url: str | None, dist: Path | None) -> str:
    """The name `localpack init` would choose for this source ("" without one)."""
    if url:
        return name_from_url(url)
    if dist is not None:
        return name_from_folder(dist)
    return ""


def field_errors(problems: tuple[tuple[str, str], ...]) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]]]:
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
