"""The field map: every ppconfig.json field the importer knows, with its JSON type, the localpack key it feeds,
and its fate.

A row's fate is one of MAPPED, SAME (a repeat of another field), NAMED (no localpack equivalent: named in the
warning) and IGNORED (bookkeeping: named in the "not imported" line); a row with a `default` is IGNORED when
its value is PakePlus's default. A row whose fate is None is read by one of the
special cases (`importer.py`, `identity.py`), which decides among the four. The plain copies are not written
here: their rows (`COPIED`) are made from the `pakeplus` attribute of the config keys (`keys.KEYS`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localpack.config.keys import KEYS, Kind
from localpack.errors import ConfigError

MAPPED, SAME, NAMED, IGNORED = "mapped", "same", "named", "ignored"
FATES = (MAPPED, SAME, NAMED, IGNORED)

# JSON types, by the words the error message uses.
STR, BOOL, NUM, LIST, OBJ = "text in quotes", "true or false", "a number", "a list [ ]", "an object { }"
_TYPES: dict[str, Callable[[Any], bool]] = {
    STR: lambda v: isinstance(v, str),
    BOOL: lambda v: isinstance(v, bool),
    NUM: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    LIST: lambda v: isinstance(v, list),
    OBJ: lambda v: isinstance(v, dict),
}
_NO_DEFAULT: Any = object()


@dataclass(frozen=True)
class Field:
    path: str  # dotted: "name", "desktop.single", "more.windows.resizable"
    kind: str | tuple[str, ...] | None  # JSON type(s), checked when the field is read; None: any
    fate: str | None  # None: a special case of importer.py decides
    target: str = ""  # the localpack key ("section.key") the value goes to
    default: Any = _NO_DEFAULT  # PakePlus's default: at it, the field is IGNORED
    convert: Callable[[Any], Any] | None = None  # the value as localpack takes it (compared with `default`)
    text: str = "{path}={value}"  # NAMED: the warning's words
    each: str | None = None  # LIST: the type of every item
    group: str = ""  # NAMED: fields named together, "a, b (group)"

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.kind if isinstance(self.kind, tuple) else (self.kind,) if self.kind else ()

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT


def _publisher(author: str) -> str:
    """desktop.author as bundle.publisher; PakePlus's own default "pakeplus" is no publisher."""
    return "" if author.strip().lower() == "pakeplus" else author.strip()


_W, _D = "more.windows.", "desktop."
PASSWORD = (
    "startMethod",
    "startPwd",
    "pwdTitle",
    "pwdBtn",
    "pwdPlace",
    "pwdTip",
    "pwdError",
    "endPwd",
    "endPwdTitle",
    "endPwdTip",
    "endPwdError",
    "pwdStyle",
    "pwdTheme",
)
# more.windows settings localpack has no option for, with PakePlus's defaults: only other values are named.
_WINDOW_UNSUPPORTED = {
    "transparent": False,
    "visible": True,
    "focus": True,
    "closable": True,
    "minimizable": True,
    "maximizable": True,
    "alwaysOnBottom": False,
    "skipTaskbar": False,
    "tabbingIdentifier": None,
    "parent": None,
    "dragDropEnabled": True,
    "browserExtensionsEnabled": False,
    "contentProtected": False,
    "useHttpsScheme": False,
    "acceptFirstMouse": False,
    "shadow": True,
    "backgroundColor": None,
    "backgroundThrottling": None,
    "javascriptDisabled": False,
}
# Top-level fields that are PakePlus's bookkeeping, not settings of the app (why, as a comment).
_TOP_BOOKKEEPING = {
    "preview": "the GUI's preview frame",
    "platform": "the GUI's platform choice",
    "prefix": "repository prefix",
    "pcRepo": "repository name",
    "iosRepo": "repository name",
    "androidRepo": "repository name",
    "win7Repo": "repository name",
    "versionStr": "template branch",
    # A GitHub API error reply ("Not Found") that PakePlus 2.x merges into the file.
    "message": "GitHub reply",
    "documentation_url": "GitHub reply",
    "status": "GitHub reply",
}
_DESKTOP_BOOKKEEPING = ("inputPath", "tempPath", "icnsPath", "buildMethod", "pubBody")

SPECIAL: tuple[Field, ...] = (
    # name, title, identifier, version, description (importer: _identity)
    Field("name", STR, None, "app.name"),
    Field(_D + "name", STR, None, "app.name"),
    Field("showName", STR, None, "app.title"),
    Field(_D + "showName", STR, None, "app.title"),
    Field("version", (STR, NUM), None, "app.version"),
    Field(_D + "version", (STR, NUM), None, "app.version"),
    Field("appid", STR, None, "app.identifier"),
    Field(_D + "id", STR, None, "app.identifier"),
    Field("desc", STR, None, "app.description"),
    Field(_D + "desc", STR, None, "app.description"),
    # the site or the local files (_source)
    Field("url", STR, None, "app.url"),
    Field(_D + "webUrl", STR, None, "app.url"),
    Field("isHtml", BOOL, None, "app.dist"),
    Field(_D + "isHtml", BOOL, None, "app.dist"),
    Field("htmlPath", STR, None, "app.dist"),
    Field("htmlFiles", LIST, None, "app.dist"),
    # the icon (_icon)
    Field("icon", STR, None, "app.icon"),
    Field("iconPath", STR, None, "app.icon"),
    Field(_D + "iconPath", STR, None, "app.icon"),
    Field("iconRound", BOOL, None, "app.icon_round"),
    # switches with desktop-vs-top precedence that are not plain copies (_desktop_flags)
    Field("debug", BOOL, None, "behavior.devtools"),
    Field("devbug", BOOL, None, "behavior.devtools"),
    Field(_D + "debug", BOOL, None, "behavior.devtools"),
    Field("tauriApi", BOOL, None),
    Field(_D + "tauriApi", BOOL, None),
    # the start password (_password): named, never echoed
    *(Field(_D + key, STR, None) for key in PASSWORD),
    # the window's size and title bar (_window)
    Field("width", NUM, None, "window.width"),
    Field(_W + "width", NUM, None, "window.width"),
    Field("height", NUM, None, "window.height"),
    Field(_W + "height", NUM, None, "window.height"),
    Field(_W + "titleBarStyle", STR, None, "window.hide_title_bar"),
    Field(_W + "hiddenTitle", None, None, "window.hide_title_bar"),  # part of "Overlay", else unsupported
    # injected scripts and styles (_scripts)
    Field("customJs", STR, None, "behavior.inject"),
    Field("jsFile", LIST, None, "behavior.inject", each=STR),
    Field("filterCss", STR, None, "behavior.hide_selectors"),
    # the sections themselves
    Field("desktop", OBJ, None),
    Field("more", OBJ, None),
    Field(_W[:-1], OBJ, None),
)

PLAIN: tuple[Field, ...] = (
    Field(_W + "theme", STR, MAPPED, "window.theme", convert=str.lower),
    Field(_D + "author", STR, MAPPED, "bundle.publisher", default="", convert=_publisher),
    Field(_W + "title", STR, SAME, "app.title"),  # compared with showName (importer: _window)
    Field(_W + "url", STR, SAME, "app.url"),  # compared with url
    Field(_W + "devtools", BOOL, SAME, "behavior.devtools"),  # PakePlus opens devtools by its debug switch
    *(Field(_W + key, None, NAMED, default=value) for key, value in _WINDOW_UNSUPPORTED.items()),
    Field(_D + "cors", BOOL, NAMED, default=False, text="{path}={value} (localpack keeps the webview's CORS checks)"),
    *(
        Field(key, OBJ, NAMED, default={}, group="mobile builds are not part of localpack")
        for key in ("android", "ios", "phone")
    ),
    Field(_W + "label", None, IGNORED),
    Field(_W + "create", None, IGNORED),  # localpack names and makes the window
    *(Field(key, None, IGNORED) for key in _TOP_BOOKKEEPING),
    *(Field(_D + key, STR, IGNORED) for key in _DESKTOP_BOOKKEEPING),
)

_JSON_OF: dict[Kind, str] = {Kind.BOOL: BOOL, Kind.INT: NUM, Kind.TEXT: STR}
# The plain copies, from the config keys: localpack key → its sources, the first present wins.
COPIES: dict[str, tuple[str, ...]] = {key.dotted: key.pakeplus for key in KEYS if key.pakeplus}
COPIED: tuple[Field, ...] = tuple(
    Field(source, _JSON_OF[key.kind], MAPPED, key.dotted) for key in KEYS for source in key.pakeplus
)
# Copies PakePlus sets when its file has neither: written into the new config all the same.
COPY_DEFAULTS: dict[str, Any] = {"behavior.single_instance": True, "behavior.remember_window": True}

FIELDS: dict[str, Field] = {row.path: row for row in (*SPECIAL, *PLAIN, *COPIED)}


class Reader:
    """The file's fields by dotted path: each read checks the type the map gives and can record a fate."""

    def __init__(
        self, data: dict[str, Any], shown: str, fates: dict[str, str], unmapped: list[str], ignored: list[str]
    ) -> None:
        self.data, self.shown = data, shown
        self.fates, self.unmapped, self.ignored = fates, unmapped, ignored

    def raw(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def has(self, path: str) -> bool:
        """The field is in the file, null or not."""
        parent, _, key = path.rpartition(".")
        section = self.raw(parent) if parent else self.data
        return isinstance(section, dict) and key in section

    def get(self, path: str, fate: str | None = None, *, kind: str | None = None) -> Any:
        """The value, of the map's type (or `kind`) when present; with `fate`, that fate is recorded."""
        value = self.raw(path)
        row = FIELDS.get(path)
        kinds = (kind,) if kind else row.kinds if row else ()
        if value is not None and kinds:
            if not any(_TYPES[k](value) for k in kinds):
                self.bad(path, " or ".join(kinds), value)
            if row and row.each and not all(_TYPES[row.each](v) for v in value):
                self.bad(path, f"a list of {row.each}", value)
        if fate:
            self.mark(path, fate)
        return value

    def section(self, path: str) -> dict[str, Any]:
        return self.get(path) or {}

    def bad(self, path: str, kind: str, value: Any) -> None:
        found = json.dumps(value, ensure_ascii=False)
        found = found if len(found) <= 40 else found[:39] + "…"
        raise ConfigError(
            f"{self.shown}: field {path} must be {kind} (found {found})",
            "fix that field in the file, or export the project from PakePlus again",
        )

    def whole(self, value: Any, path: str) -> int:
        if isinstance(value, float) and not value.is_integer():
            self.bad(path, "a whole number", value)
        return int(value)

    def mark(self, path: str, fate: str) -> None:
        self.fates[path] = fate

    def ignore(self, path: str) -> None:
        """Not a setting, or left at PakePlus's default; named in the "not imported" line unless empty."""
        self.mark(path, IGNORED)
        if self.raw(path) not in (None, "", [], {}):
            self.ignored.append(path)

    def name(self, path: str, text: str = "") -> None:
        self.mark(path, NAMED)
        self.unmapped.append(text or path)
