"""Import a PakePlus project (`ppconfig.json`) as localpack config values.

Every field, at every depth PakePlus writes settings (the top level, `desktop.*`, `more.*`,
`more.windows.*`), ends in exactly one of four places, recorded in `Imported.fates`:

- mapped to a localpack key (with a note when the value had to change);
- a repeat of another field (`desktop.showName` of `showName`, `more.windows.title`…), checked
  for agreement; a disagreement is a note;
- named in the warning: a setting localpack has no equivalent for, or an unknown field;
- named in the "not imported" line: PakePlus's own bookkeeping (repository names, build-script
  paths, a GitHub error reply it saved into the file) and settings left at PakePlus's default.

Which copy wins where PakePlus keeps two: PakePlus 2.x builds the desktop app from the `desktop`
section (its GUI edits `desktop.single`, `state`, `debug`, `tauriApi`, `desc` there and copies name,
title, version and URL into it when it publishes) and from `more.windows` (the window as built). So
`desktop.*` wins over the stale top-level copies, `more.windows.width/height` over `width/height`,
and the top level wins for name, title, version and URL. A `desktop` section whose `name` is not
the project's belongs to another project (PakePlus's template) and is not used.

A field of the wrong type stops the import (exit 2) with the file and the field. The base64 icon,
`customJs` and a converted icon become files (next to the new localpack.toml for `init`, in the
cache for `--from-pakeplus` on render/build).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import os
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from localpack import output
from localpack.config import rules as config_rules
from localpack.config.names import machine_name
from localpack.errors import ConfigError
from localpack.fsutil import read_user_file

MAPPED, SAME, NAMED, IGNORED = "mapped", "same", "named", "ignored"

# more.windows → [window] keys that mean the same thing.
WINDOW_KEYS = {
    "resizable": "resizable", "fullscreen": "fullscreen", "maximized": "maximized", "minWidth": "min_width",
    "minHeight": "min_height", "maxWidth": "max_width", "maxHeight": "max_height", "decorations": "decorations",
    "alwaysOnTop": "always_on_top", "center": "center", "zoomHotkeysEnabled": "zoom_hotkeys",
    "incognito": "incognito",
}
# more.windows keys localpack has no option for, with PakePlus's defaults: only other values are named.
WINDOW_UNSUPPORTED = {
    "transparent": False, "visible": True, "focus": True, "closable": True, "minimizable": True,
    "maximizable": True, "alwaysOnBottom": False, "skipTaskbar": False, "tabbingIdentifier": None, "parent": None,
    "dragDropEnabled": True, "browserExtensionsEnabled": False, "contentProtected": False, "useHttpsScheme": False,
    "acceptFirstMouse": False, "shadow": True, "backgroundColor": None, "backgroundThrottling": None,
    "javascriptDisabled": False, "hiddenTitle": False,
}
# Top-level fields that are PakePlus's bookkeeping, not settings of the app (why, for the "not imported" line).
TOP_BOOKKEEPING = {
    "preview": "the GUI's preview frame", "platform": "the GUI's platform choice", "prefix": "repository prefix",
    "pcRepo": "repository name", "iosRepo": "repository name", "androidRepo": "repository name",
    "win7Repo": "repository name", "versionStr": "template branch",
    # A GitHub API error reply ("Not Found") that PakePlus 2.x merges into the file.
    "message": "GitHub reply", "documentation_url": "GitHub reply", "status": "GitHub reply",
}
DESKTOP_BOOKKEEPING = ("inputPath", "tempPath", "icnsPath", "buildMethod", "pubBody")
# The start-password screen (PakePlus 2.2.3+), see README "Why there is no start password".
PASSWORD_FIELDS = ("startPwd", "pwdTitle", "pwdBtn", "pwdPlace", "pwdTip", "pwdError", "endPwd", "endPwdTitle",
                   "endPwdTip", "endPwdError", "pwdStyle", "pwdTheme")
NO_PASSWORD = ("startMethod/startPwd (a password before the app opens): localpack offers no start password; "
               "a page-level password in an app whose files the user owns is no protection")
MOBILE = ("android", "ios", "phone")
# PakePlus's default description of the desktop app: not the user's words.
BOILERPLATE = ("打包仅限个人使用", "Package for personal use only")
PAKEPLUS_AUTHOR = "pakeplus"

STR, BOOL, NUM, LIST, OBJ = "text in quotes", "true or false", "a number", "a list [ ]", "an object { }"
_TYPES: dict[str, Callable[[Any], bool]] = {
    STR: lambda v: isinstance(v, str),
    BOOL: lambda v: isinstance(v, bool),
    NUM: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    LIST: lambda v: isinstance(v, list),
    OBJ: lambda v: isinstance(v, dict),
}


@dataclass
class Imported:
    values: dict[str, Any]  # "section.key" → value; files of `files` as relative Paths, others absolute
    shown: str = "ppconfig.json"  # the file as the user gave it, for every message
    files: dict[str, bytes] = field(default_factory=dict)  # file name → content, to write beside the config
    notes: list[str] = field(default_factory=list)  # conversions and disagreements; also comments in the file
    unmapped: list[str] = field(default_factory=list)  # settings with no equivalent and unknown fields
    warnings: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # bookkeeping and settings at PakePlus's default
    fates: dict[str, str] = field(default_factory=dict)  # field path → MAPPED, SAME, NAMED or IGNORED

    def report(self) -> None:
        for note in self.notes:
            output.info(f"note: {note}")
        for text in self.warnings:
            output.warn(f"{self.shown}: {text}")
        if self.unmapped:
            output.warn(f"{self.shown}: PakePlus fields with no localpack equivalent (not imported): "
                        + "; ".join(self.unmapped))
        if self.ignored:
            output.info(f"{self.shown}: not imported, nothing lost (PakePlus bookkeeping or left at PakePlus's "
                        "default): " + _grouped(self.ignored))


class _Fields:
    """The file's fields by dotted path: each read checks its type and records its fate."""

    def __init__(self, data: dict[str, Any], shown: str, result: Imported) -> None:
        self.data, self.shown, self.result = data, shown, result

    def raw(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def get(self, path: str, kind: str, fate: str | None = None, *, each: str | None = None) -> Any:
        value = self.raw(path)
        if value is not None and not _TYPES[kind](value):
            self.bad(path, kind, value)
        if value is not None and each and not all(_TYPES[each](v) for v in value):
            self.bad(path, f"a list of {each}", value)
        if fate:
            self.mark(path, fate)
        return value

    def section(self, path: str) -> dict[str, Any]:
        return self.get(path, OBJ) or {}

    def bad(self, path: str, kind: str, value: Any) -> None:
        found = json.dumps(value, ensure_ascii=False)
        found = found if len(found) <= 40 else found[:39] + "…"
        raise ConfigError(f"{self.shown}: field {path} must be {kind} (found {found})",
                          "fix that field in the file, or export the project from PakePlus again")

    def mark(self, path: str, fate: str) -> None:
        self.result.fates[path] = fate

    def ignore(self, path: str) -> None:
        """Not a setting, or left at PakePlus's default; named in the "not imported" line unless empty."""
        self.mark(path, IGNORED)
        if self.raw(path) not in (None, "", [], {}):
            self.result.ignored.append(path)

    def name(self, path: str, text: str = "") -> None:
        self.mark(path, NAMED)
        self.result.unmapped.append(text or path)


MAX_BYTES = 64 << 20  # a ppconfig.json with a large base64 icon is a few MB


def read(path: Path) -> dict[str, Any]:
    """A ppconfig.json, read only if it is a regular file of sane size (a FIFO would block forever)."""
    if path.expanduser().is_dir():
        raise ConfigError(f"{path}: is a folder, not a ppconfig.json",
                          f"pass the file, e.g. {path / 'scripts' / 'ppconfig.json'}")
    raw = read_user_file(path.expanduser(), "file", "pass the path of your PakePlus ppconfig.json", limit=MAX_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not a valid JSON file ({e})", "export ppconfig.json from PakePlus again") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a PakePlus config (expected a JSON object)", "pass ppconfig.json")
    return data


def kebab_name(name: str) -> str:
    """PakePlus `name` (CamelCase, `^[A-Za-z][A-Za-z0-9]*$`) → `app.name` ('PakePlus' → 'pake-plus')."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1-\2", spaced)
    return machine_name(spaced)


def semver(version: str) -> tuple[str, str | None]:
    """A version localpack accepts, and a note when it had to change."""
    version = version.strip()
    if config_rules.VERSION_RE.match(version):
        return version, None
    match = re.fullmatch(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", version)
    if match:
        fixed = ".".join(str(int(part or 0)) for part in match.groups())
        return fixed, f"version {version!r} → {fixed!r} (localpack needs major.minor.patch)"
    return "1.0.0", f"version {version!r} is not a version number; using '1.0.0'"


def image_kind(data: bytes) -> str | None:
    """'png', 'jpg', 'webp' or 'svg' when `data` really decodes as such; 'other' for another format Pillow
    reads (converted to PNG); None when it is no image."""
    head = data.lstrip()[:256].lower()
    if head.startswith((b"<svg", b"<?xml")):
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError:
            return None
        return "svg" if root.tag.rsplit("}", 1)[-1] == "svg" else None
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            fmt = im.format
    except Exception:  # Pillow raises many types (OSError, SyntaxError, ValueError, DecompressionBombError…)
        return None
    return {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}.get(fmt or "", "other")


def as_png(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        buf = io.BytesIO()
        im.convert("RGBA").save(buf, "PNG")
    return buf.getvalue()


def convert(data: dict[str, Any], source: Path, *, has_source: bool = False, shown: str | None = None) -> Imported:
    """Map a ppconfig.json object onto localpack config values. `source` is the file (for relative paths),
    `shown` the file as the user gave it (for messages); `has_source`: the caller sets url/dist itself (a flag),
    so `url`/`isHtml` are not needed."""
    result = Imported(values={}, shown=shown or str(source))
    _Importer(data, source, has_source, result).run()
    return result


class _Importer:
    def __init__(self, data: dict[str, Any], source: Path, has_source: bool, result: Imported) -> None:
        self.f = _Fields(data, result.shown, result)
        self.base = source.parent
        self.has_source = has_source
        self.r = result
        self.v = result.values
        self.desktop_used = False

    def run(self) -> None:
        f = self.f
        for section in ("desktop", "more", "more.windows"):
            f.section(section)  # type-checked before anything reads inside them
        self._identity()
        self._desktop_flags()
        if not self.has_source:
            self._source()
        else:
            for path, kind in (("url", STR), ("isHtml", BOOL), ("htmlPath", STR), ("htmlFiles", LIST)):
                f.get(path, kind)
                f.ignore(path)
            self.r.notes.append(f"url/isHtml of {self.r.shown} are replaced by the --url/--dist given")
        self._icon()
        self._window()
        self._scripts()
        self._rest()

    # ------------------------------------------------------------ name, title, id, version, description
    def _identity(self) -> None:
        f, notes, v = self.f, self.r.notes, self.v
        raw_name = f.get("name", STR, MAPPED) or ""
        desktop_name = f.get("desktop.name", STR)
        self.desktop_used = bool(f.raw("desktop")) and (not desktop_name or not raw_name or desktop_name == raw_name)
        if f.raw("desktop") and not self.desktop_used:
            self.r.warnings.append(
                f"its desktop section belongs to another project (desktop.name {desktop_name!r}, name {raw_name!r}); "
                "the top-level fields are used and the desktop section is not")
            for key in self.f.section("desktop"):
                f.ignore(f"desktop.{key}")
        elif desktop_name is not None:
            f.mark("desktop.name", SAME)
        raw_name = raw_name or (desktop_name if self.desktop_used else "") or ""
        name = kebab_name(raw_name) if raw_name else "my-app"
        if raw_name and name != raw_name:
            notes.append(f"name {raw_name!r} → {name!r} (lowercase letters, digits and '-')")
        v["app.name"] = self.name = name

        title = self._same_as("showName", "desktop.showName", STR) or raw_name or name
        v["app.title"] = title
        version = self._same_as("version", "desktop.version", (STR, NUM))
        fixed, note = semver(str(version if version is not None else "1.0.0"))
        v["app.version"] = fixed
        if note:
            notes.append(note)
        v["app.identifier"] = self._identifier()
        description = self._description()
        if description:
            v["app.description"] = description

    def _same_as(self, top: str, copy: str, kind: str | tuple[str, ...]) -> Any:
        """The top-level value; its copy (in desktop or more.windows) is checked for agreement."""
        kinds = kind if isinstance(kind, tuple) else (kind,)
        value = self._get_any(top, kinds, MAPPED)
        if copy.startswith("desktop.") and not self.desktop_used:
            return value
        other = self._get_any(copy, kinds, SAME)
        if other is None:
            self.r.fates.pop(copy, None)
            return value
        if value in (None, ""):
            self.r.fates[copy] = MAPPED
            return other
        if str(other) != str(value) and other != "":
            self.r.notes.append(f"{copy} {other!r} differs from {top} {value!r}; {top} is used")
        return value

    def _get_any(self, path: str, kinds: tuple[str, ...], fate: str) -> Any:
        value = self.f.raw(path)
        if value is not None and not any(_TYPES[k](value) for k in kinds):
            self.f.bad(path, " or ".join(kinds), value)
        self.f.mark(path, fate)
        return value

    def _identifier(self) -> str:
        f, notes, name = self.f, self.r.notes, self.name
        appid = f.get("appid", STR, MAPPED) or ""
        desktop_id = f.get("desktop.id", STR) if self.desktop_used else None
        default = f"com.{name.replace('-', '')}.app"  # PakePlus's own default, so app data stays where it was
        chosen = appid
        if desktop_id is not None:
            if appid and desktop_id == appid + ".desktop" and config_rules.IDENTIFIER_RE.match(desktop_id):
                f.mark("desktop.id", MAPPED)
                chosen = desktop_id
                notes.append(f"identifier {desktop_id!r}: desktop.id, the identifier PakePlus built the desktop app "
                             f"with (appid + '.desktop'), so its saved logins and data are found again")
            elif desktop_id in ("", appid):
                f.mark("desktop.id", SAME)
            elif not appid:
                f.mark("desktop.id", MAPPED)
                chosen = desktop_id
            else:
                f.mark("desktop.id", SAME)
                notes.append(f"desktop.id {desktop_id!r} differs from appid {appid!r}; appid is used")
        if not chosen:
            return default
        if config_rules.IDENTIFIER_RE.match(chosen) and chosen != "com.tauri.dev":
            return chosen
        fixed = re.sub(r"[^A-Za-z0-9.-]+", "-", chosen).strip(".-")
        fixed = re.sub(r"\.+", ".", fixed)
        if not config_rules.IDENTIFIER_RE.match(fixed) or fixed == "com.tauri.dev":
            fixed = default
        notes.append(f"appid {chosen!r} → {fixed!r} (reverse-DNS: ASCII letters, digits, '-', '.')")
        return fixed

    def _description(self) -> str:
        f = self.f
        top = (f.get("desc", STR, MAPPED) or "").strip()
        if not self.desktop_used or f.raw("desktop.desc") is None:
            return top
        desk = (f.get("desktop.desc", STR) or "").strip()
        if desk and any(b in desk for b in BOILERPLATE):
            f.ignore("desktop.desc")  # PakePlus's "for personal use only" notice, not the user's words
            return top
        if top and desk and desk != top:
            f.mark("desktop.desc", SAME)
            self.r.notes.append("desktop.desc differs from desc; desktop.desc (what PakePlus built with) is used")
            return desk
        f.mark("desktop.desc", MAPPED if desk and not top else SAME)
        return desk or top

    # ------------------------------------------------------------ switches kept in the desktop section
    def _switch(self, key: str, top: str | None, default: bool | None) -> bool | None:
        """desktop.<key> over the top-level copy: PakePlus builds the desktop app from the desktop section."""
        f = self.f
        desk = f.get(f"desktop.{key}", BOOL, MAPPED) if self.desktop_used else None
        if desk is None:
            self.r.fates.pop(f"desktop.{key}", None)
        upper = f.get(top, BOOL, MAPPED) if top else None
        if top and upper is None:
            self.r.fates.pop(top, None)
        if desk is not None and upper is not None:
            f.mark(top, SAME)
            if desk != upper:
                self.r.notes.append(f"{key}: desktop.{key} = {json.dumps(desk)} is used (PakePlus builds the desktop "
                                    f"app from its desktop section); the top-level {top} = {json.dumps(upper)} differs")
        value = desk if desk is not None else upper
        return default if value is None else value

    def _desktop_flags(self) -> None:
        f, v = self.f, self.v
        for key, top, target, default in (
            ("single", "single", "behavior.single_instance", True),
            ("state", "state", "behavior.remember_window", True),
            ("injectJq", "injectJq", "behavior.inject_jquery", None),
            ("pageTitle", None, "window.title_from_page", None),
            ("autoStart", None, "behavior.autostart", None),
            ("rightClick", "rightClick", "behavior.context_menu", None),
        ):
            value = self._switch(key, top, default)
            if value is not None:
                v[target] = value
        # debug: desktop.debug, else the top-level debug (older files) or devbug (its name in PakePlus 2.x)
        top_debug = "debug" if f.raw("debug") is not None else "devbug"
        debug = bool(self._switch("debug", top_debug, False))
        if f.raw("debug") is not None and f.raw("devbug") is not None:
            f.get("devbug", BOOL, SAME)
        v["behavior.devtools"] = debug
        if debug:
            self.r.notes.append("debug → devtools = true (PakePlus's on-page console is not added)")
        if self._switch("tauriApi", "tauriApi", False):
            f.mark("desktop.tauriApi" if f.raw("desktop.tauriApi") is not None else "tauriApi", NAMED)
            self.r.warnings.append("tauriApi: localpack never exposes the Tauri API (IPC) to web pages it loads; "
                                   "the page runs without window.__TAURI__")
        if not self.desktop_used:
            return
        author = f.get("desktop.author", STR)
        if author is not None:
            if author.strip() and author.strip().lower() != PAKEPLUS_AUTHOR:
                v["bundle.publisher"] = author.strip()
                f.mark("desktop.author", MAPPED)
            else:
                f.ignore("desktop.author")
        method = f.get("desktop.startMethod", STR)
        active = method not in (None, "", "none")
        for key in ("startMethod", *PASSWORD_FIELDS):
            if f.raw(f"desktop.{key}") is not None:
                f.get(f"desktop.{key}", STR)
                if active:
                    f.mark(f"desktop.{key}", NAMED)  # never echo the password itself
                else:
                    f.ignore(f"desktop.{key}")
        if active:
            texts = [k for k in PASSWORD_FIELDS[1:] if f.raw(f"desktop.{k}") is not None]
            screen = f" and the password screen's {', '.join(texts)}" if texts else ""
            self.r.unmapped.append(f"desktop.{NO_PASSWORD} (startMethod {method!r}{screen}; see the README)")
        if f.get("desktop.cors", BOOL):
            f.name("desktop.cors", "desktop.cors=true (localpack keeps the webview's CORS checks)")
        elif f.raw("desktop.cors") is not None:
            f.ignore("desktop.cors")
        for key in DESKTOP_BOOKKEEPING:
            if f.raw(f"desktop.{key}") is not None:
                f.get(f"desktop.{key}", STR)
                f.ignore(f"desktop.{key}")
        for key in ("webUrl", "isHtml"):
            if f.raw(f"desktop.{key}") is not None:
                f.mark(f"desktop.{key}", SAME)  # compared in _source

    # ------------------------------------------------------------ url or local files
    def _source(self) -> None:
        f, v, r = self.f, self.v, self.r
        is_html = bool(f.get("isHtml", BOOL, MAPPED))
        desk_html = f.get("desktop.isHtml", BOOL) if self.desktop_used else None
        if desk_html is not None and desk_html != is_html:
            r.notes.append(f"desktop.isHtml = {json.dumps(desk_html)} differs from isHtml = {json.dumps(is_html)}; "
                           "isHtml is used")
        url = f.get("url", STR, MAPPED) or ""
        desk_url = (f.get("desktop.webUrl", STR) if self.desktop_used else None) or ""
        html_path = f.get("htmlPath", STR, MAPPED) or ""
        html_files = f.get("htmlFiles", LIST, MAPPED)
        if not is_html:
            f.ignore("htmlPath")
            f.ignore("htmlFiles")
            url = url or desk_url
            if desk_url and url and desk_url != url:
                r.notes.append(f"desktop.webUrl {desk_url!r} differs from url {url!r}; url is used")
            if not url:
                raise ConfigError(f"{r.shown}: url is empty and isHtml is false: no site or files to wrap",
                                  "pass --url URL or --dist FOLDER with the import")
            if "://" not in url and re.match(r"^[\w.-]+\.[A-Za-z]{2,}(?:[/:?#].*)?$", url):
                r.notes.append(f"url {url!r} → 'https://{url}' (a URL needs its scheme)")
                url = "https://" + url
            v["app.url"] = url
            return
        # isHtml: `url` and desktop.webUrl hold the GUI's display text ("index.html (等资源+89)").
        f.ignore("url")
        if self.desktop_used and f.raw("desktop.webUrl") is not None:
            f.ignore("desktop.webUrl")
        v["app.dist"] = self._html_folder(html_path)
        if html_files:
            r.notes.append(f"htmlFiles: the whole folder {self._shown_path(v['app.dist'])!r} is bundled")

    def _html_folder(self, html_path: str) -> Path:
        """htmlPath when it is on this machine, else the src/ folder the cloud flow committed the files to."""
        if html_path and not _foreign_windows_path(html_path):
            folder = (self.base / Path(html_path).expanduser()).resolve()
            if (folder / "index.html").is_file():
                return folder
        committed = self.base.parent / "src"
        if self.base.name == "scripts" and (committed / "index.html").is_file():
            self.r.notes.append(f"htmlPath {html_path!r} is not on this machine: using src/ beside scripts/, "
                                "where the PakePlus cloud flow committed the app's files")
            return committed.resolve()
        raise ConfigError(
            f"{self.r.shown}: isHtml is true but htmlPath {html_path!r} is not a folder with index.html here",
            "pass --dist FOLDER with the app's web files (the folder holding index.html)",
        )

    def _shown_path(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.base.parent))
        except ValueError:
            return str(path)

    # ------------------------------------------------------------ icon
    def _icon(self) -> None:
        """The first usable of: `icon` (base64 or a file), `iconPath` (on the user's disk), desktop.iconPath."""
        f, v, r = self.f, self.v, self.r
        candidates = [("icon", f.get("icon", STR)), ("iconPath", f.get("iconPath", STR))]
        if self.desktop_used:
            candidates.append(("desktop.iconPath", f.get("desktop.iconPath", STR)))
        skipped: list[str] = []
        chosen = None
        for path, value in candidates:
            text = (value or "").strip()
            if not text:
                f.ignore(path)
                continue
            if chosen:
                f.mark(path, SAME)  # another copy of the icon already taken
                continue
            why = self._try_icon(path, text)
            if why:
                f.mark(path, NAMED)
                skipped.append(f"{path} ({why})")
            else:
                chosen = path
                f.mark(path, MAPPED)
        round_ = f.get("iconRound", BOOL, MAPPED)
        if chosen or round_ is not None:
            v["app.icon_round"] = True if round_ is None else round_
        if skipped and chosen:
            r.notes.append(f"icon from {chosen}; not usable: {'; '.join(skipped)}")
        elif skipped:
            r.warnings.append(f"no usable icon ({'; '.join(skipped)}); the built-in icon is used")

    def _try_icon(self, path: str, text: str) -> str | None:
        """Take the icon from one field; the reason when it cannot be used."""
        if path == "icon" and (text.startswith("data:") or len(text) >= 1024):
            try:
                data = base64.b64decode(text.split(",", 1)[1] if text.startswith("data:") else text, validate=True)
            except (binascii.Error, ValueError):
                return "neither base64 image data nor an existing file"
            return self._icon_bytes(data, None)
        if _foreign_windows_path(text):
            return f"{text!r} is a Windows path, not on this machine"
        file = (self.base / Path(text).expanduser())
        if not file.is_file():
            return f"{text!r} is not a file on this machine"
        return self._icon_bytes(file.read_bytes(), file.resolve())

    def _icon_bytes(self, data: bytes, file: Path | None) -> str | None:
        kind = image_kind(data)
        if kind is None:
            return "not a PNG, JPEG, WebP or SVG image (it does not decode)"
        if kind == "other":
            data, kind = as_png(data), "png"
            self.r.notes.append("icon converted to PNG (localpack takes PNG, JPEG, WebP or SVG)")
        elif file is not None and file.suffix.lower() in config_rules.ICON_SUFFIXES:
            self.v["app.icon"] = file
            return None
        file_name = f"{self.name}-icon.{kind}"
        self.r.files[file_name] = data
        self.v["app.icon"] = Path(file_name)
        return None

    # ------------------------------------------------------------ window
    def _window(self) -> None:
        f, v, r = self.f, self.v, self.r
        windows = f.section("more.windows")
        overlay = windows.get("titleBarStyle") == "Overlay"
        for key in ("width", "height"):
            top = f.get(key, NUM, MAPPED)
            win = f.get(f"more.windows.{key}", NUM)
            if win is not None:
                f.mark(f"more.windows.{key}", MAPPED if top is None or win != top else SAME)
                if top is not None and win != top:
                    f.mark(key, SAME)
                    r.notes.append(f"window {key}: more.windows.{key} = {win:g} is used (the window PakePlus built); "
                                   f"the top-level {key} = {top:g} differs")
            size, source = (win, f"more.windows.{key}") if win is not None else (top, key)
            v[f"window.{key}"] = _whole(size, source, f) if size else (800 if key == "width" else 600)
        for key, value in windows.items():
            path = f"more.windows.{key}"
            if key in WINDOW_KEYS:
                kind = NUM if key in ("minWidth", "minHeight", "maxWidth", "maxHeight") else BOOL
                f.get(path, kind, MAPPED)
                if value is not None:
                    v[f"window.{WINDOW_KEYS[key]}"] = _whole(value, path, f) if kind == NUM else value
            elif key in ("userAgent", "proxyUrl", "theme"):
                f.get(path, STR, MAPPED)
                target = {"userAgent": "window.user_agent", "proxyUrl": "window.proxy", "theme": "window.theme"}[key]
                if value:
                    v[target] = value.lower() if key == "theme" else value
            elif key == "titleBarStyle":
                f.get(path, STR, MAPPED)
                if value == "Overlay":
                    v["window.hide_title_bar"] = True
                elif value not in (None, "Visible"):
                    f.name(path, f"{path}={value!r} (only 'Overlay' → hide_title_bar)")
            elif key == "hiddenTitle" and overlay:
                f.get(path, BOOL, MAPPED)  # part of hide_title_bar
            elif key in WINDOW_UNSUPPORTED:
                if value != WINDOW_UNSUPPORTED[key]:
                    f.name(path, f"{path}={json.dumps(value, ensure_ascii=False)}")
                else:
                    f.ignore(path)
            elif key in ("width", "height"):
                continue
            elif key == "title":
                f.get(path, STR, SAME)
                if value and value != v["app.title"]:
                    r.notes.append(f"more.windows.title {value!r} differs from showName {v['app.title']!r}; "
                                   "showName is the window title")
            elif key == "url":
                f.get(path, STR, SAME)
                if value and "app.url" in v and value != v["app.url"] and "://" in value:
                    r.notes.append(f"more.windows.url {value!r} differs from url {v['app.url']!r}; url is used")
            elif key == "devtools":
                f.get(path, BOOL, SAME)  # PakePlus opens devtools by its debug switch
            elif key in ("label", "create"):
                f.ignore(path)  # localpack names and creates the window itself
            else:
                f.name(path)

    # ------------------------------------------------------------ injected scripts and styles
    def _scripts(self) -> None:
        f, v, r = self.f, self.v, self.r
        inject: list[Path] = []
        custom_js = f.get("customJs", STR, MAPPED) or ""
        if custom_js.strip():
            r.files[f"{self.name}-custom.js"] = custom_js.encode("utf-8")
            inject.append(Path(f"{self.name}-custom.js"))
        for entry in f.get("jsFile", LIST, MAPPED, each=STR) or []:
            path = self.base / Path(entry).expanduser()
            if entry.endswith(".js") and path.is_file():
                inject.append(path.resolve())
            else:
                f.mark("jsFile", NAMED)
                r.unmapped.append(f"jsFile {entry[:60]!r} (not a .js file on this machine)")
        filter_css = f.get("filterCss", STR, MAPPED) or ""
        if "{" in filter_css:  # whole CSS rules, not a selector list
            r.files[f"{self.name}-filter.css"] = filter_css.encode("utf-8")
            inject.append(Path(f"{self.name}-filter.css"))
        else:
            selectors = [s.strip() for s in re.split(r"[;\n]", filter_css) if s.strip()]
            if selectors:
                v["behavior.hide_selectors"] = selectors
        if inject:
            v["behavior.inject"] = inject

    # ------------------------------------------------------------ everything else
    def _rest(self) -> None:
        f, r = self.f, self.r
        mobile = []
        for key in MOBILE:
            value = f.get(key, OBJ)
            if value:
                f.mark(key, NAMED)
                mobile.append(key)
            elif value is not None:
                f.ignore(key)
        if mobile:
            r.unmapped.append(", ".join(mobile) + " (mobile builds are not part of localpack)")
        for key in TOP_BOOKKEEPING:
            if key in f.data:
                f.ignore(key)
        more = f.section("more")
        for key in more:
            if key != "windows":
                f.name(f"more.{key}")
        for container in ("more", "more.windows", "desktop"):
            if f.raw(container) is not None:
                f.mark(container, MAPPED if container != "desktop" or self.desktop_used else NAMED)
        for prefix, section in (("", f.data), ("desktop.", f.raw("desktop")), ("more.windows.", f.raw("more.windows"))):
            if not isinstance(section, dict) or (prefix == "desktop." and not self.desktop_used):
                continue
            for key in section:
                if prefix + key not in r.fates:
                    f.name(prefix + key, f"{prefix}{key} (unknown to localpack's importer)")


def _grouped(paths: list[str]) -> str:
    """'a, b; desktop: c, d; more.windows: e': one short line for many fields."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        prefix, _, key = path.rpartition(".")
        groups.setdefault(prefix, []).append(key)
    return "; ".join((f"{prefix}: " if prefix else "") + ", ".join(keys) for prefix, keys in groups.items())


def _whole(value: Any, path: str, f: _Fields) -> int:
    if isinstance(value, float) and not value.is_integer():
        f.bad(path, "a whole number", value)
    return int(value)


def _foreign_windows_path(text: str) -> bool:
    """`C:\\Users\\…` on a machine that is not Windows: PakePlus's GUI ran on another computer."""
    return bool(re.match(r"^[A-Za-z]:[\\/]", text)) and os.name != "nt"


def to_overrides(path: Path, cache: Path, *, has_source: bool) -> dict[str, Any]:
    """`--from-pakeplus FILE` on render/build: config overrides, with the icon and scripts kept in the cache."""
    data = read(path)  # first: it refuses what is not a regular file (a FIFO, a link loop) with one line
    source = path.expanduser().resolve()
    imported = convert(data, source, has_source=has_source, shown=str(path))
    imported.report()
    folder = cache / "pakeplus" / hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    if imported.files:
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, data in imported.files.items():
            target = folder / file_name
            if not target.is_file() or target.read_bytes() != data:
                target.write_bytes(data)

    def absolute(value: Any) -> Any:
        if isinstance(value, Path):
            return value if value.is_absolute() else folder / value
        if isinstance(value, list):
            return [absolute(x) for x in value]
        return value

    return {key: absolute(value) for key, value in imported.values.items()}
