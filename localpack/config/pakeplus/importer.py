"""The import: the field map's rows applied, and the few fields that need more than a row (the special cases):
the desktop section's copies over the top-level ones; the site or the local files (url, isHtml, htmlPath);
the icon's candidates; the start password; customJs, jsFile and filterCss as files and selectors; the
window's size and title bar. Name, identifier and version are made valid in identity.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from localpack.config.pakeplus.fields import (
    BOOL,
    COPIES,
    COPY_DEFAULTS,
    FIELDS,
    MAPPED,
    NAMED,
    NUM,
    PASSWORD,
    PLAIN,
    SAME,
    Field,
    Reader,
)
from localpack.config.pakeplus.files import Icon, foreign_windows_path, icon_in
from localpack.config.pakeplus.identity import identity
from localpack.config.pakeplus.result import Imported
from localpack.errors import ConfigError
from localpack.fsutil import unknown_home

NO_PASSWORD = (
    "startMethod/startPwd (a password before the app opens): localpack offers no start password; "
    "a page-level password in an app whose files the user owns is no protection"
)
_COPY_SOURCES = frozenset(source for sources in COPIES.values() for source in sources)


def convert(data: dict[str, Any], source: Path, *, has_source: bool = False, shown: str | None = None) -> Imported:
    """Map a ppconfig.json object onto localpack config values. `source` is the file (for relative paths),
    `shown` the file as the user gave it (for messages); `has_source`: the caller sets url/dist itself (a flag),
    so `url`/`isHtml` are not needed."""
    result = Imported(values={}, shown=shown or str(source))
    _Importer(data, source, has_source, result).run()
    return result


class _Importer:
    def __init__(self, data: dict[str, Any], source: Path, has_source: bool, result: Imported) -> None:
        self.f = Reader(data, result.shown, result.fates, result.unmapped, result.ignored)
        self.base = source.parent
        self.has_source = has_source
        self.r = result
        self.v = result.values
        self.desktop_used = False
        self.groups: dict[str, list[str]] = {}  # NAMED rows named together: group → their fields

    def run(self) -> None:
        f = self.f
        for section in ("desktop", "more", "more.windows"):
            f.section(section)  # type-checked before anything reads inside them
        self.name, self.desktop_used = identity(self.f, self.r)
        self._desktop_flags()
        if not self.has_source:
            self._source()
        else:
            for path in ("url", "isHtml", "htmlPath", "htmlFiles"):
                f.get(path)
                f.ignore(path)
            self.r.notes.append(f"url/isHtml of {self.r.shown} are replaced by the --url/--dist given")
        self._icon()
        self._window()
        self._scripts()
        self._rest()

    # ------------------------------------------------------------ a row of the map, applied
    def _plain(self, row: Field) -> None:
        """A field the map alone decides: its fate, and its value (converted) for a MAPPED one."""
        f, path = self.f, row.path
        value = f.get(path)
        taken = row.convert(value) if row.convert and value is not None else value
        if row.has_default and taken == row.default:
            f.ignore(path)  # left at PakePlus's default
        elif row.fate == MAPPED:
            f.mark(path, MAPPED)
            if taken not in (None, ""):
                self.v[row.target] = taken
        elif row.fate == NAMED and row.group:
            f.mark(path, NAMED)
            self.groups.setdefault(row.group, []).append(path)
        elif row.fate == NAMED:
            f.name(path, row.text.format(path=path, value=json.dumps(value, ensure_ascii=False)))
        elif row.fate == SAME:
            f.mark(path, SAME)
        else:
            f.ignore(path)

    def _present_rows(self, prefix: str) -> list[Field]:
        """The map's rows of one section (`prefix` "desktop." or "" for the top level) present in the file."""
        return [
            row
            for row in PLAIN
            if row.path.startswith(prefix) and "." not in row.path[len(prefix) :] and self.f.has(row.path)
        ]

    def _first(self, paths: tuple[str, ...]) -> tuple[str, Any] | None:
        """The first of `paths` set (PakePlus builds the desktop app from its desktop section, so its copy
        comes first); a later one is a repeat, and a note says when it differs."""
        f = self.f
        present = []
        for path in paths:
            if (path.startswith("desktop.") and not self.desktop_used) or not f.has(path):
                continue
            value = f.get(path, MAPPED)
            if value is not None:
                present.append((path, value))
        if not present:
            return None
        (path, value), *repeats = present
        for other, repeat in repeats:
            f.mark(other, SAME)
            if repeat != value:
                name = path.rpartition(".")[2]
                self.r.notes.append(
                    f"{name}: {path} = {json.dumps(value)} is used (PakePlus builds the desktop "
                    f"app from its desktop section); the top-level {other} = {json.dumps(repeat)} "
                    "differs"
                )
        return path, value

    # ------------------------------------------------------------ the copies, and the desktop section's switches
    def _desktop_flags(self) -> None:
        f, v = self.f, self.v
        for target, sources in COPIES.items():
            found = self._first(sources)
            value = found[1] if found else COPY_DEFAULTS.get(target)
            if value in (None, ""):
                continue
            v[target] = f.whole(value, found[0]) if found and FIELDS[found[0]].kind == NUM else value
        # debug: desktop.debug, else the top-level debug (older files) or devbug (its name in PakePlus 2.x)
        top_debug = "debug" if f.raw("debug") is not None else "devbug"
        found = self._first(("desktop.debug", top_debug))
        debug = bool(found and found[1])
        if f.raw("debug") is not None and f.raw("devbug") is not None:
            f.get("devbug", SAME)
        v["behavior.devtools"] = debug
        if debug:
            self.r.notes.append("debug → devtools = true (PakePlus's on-page console is not added)")
        found = self._first(("desktop.tauriApi", "tauriApi"))
        if found and found[1]:
            f.mark(found[0], NAMED)
            self.r.warnings.append(
                "tauriApi: localpack never exposes the Tauri API (IPC) to web pages it loads; "
                "the page runs without window.__TAURI__"
            )
        if not self.desktop_used:
            return
        rows = self._present_rows("desktop.")
        for row in (row for row in rows if row.fate == MAPPED):
            self._plain(row)
        self._password()
        for row in (row for row in rows if row.fate != MAPPED):
            self._plain(row)
        for key in ("webUrl", "isHtml"):
            if f.raw(f"desktop.{key}") is not None:
                f.mark(f"desktop.{key}", SAME)  # compared in _source

    def _password(self) -> None:
        """The start-password screen (PakePlus 2.2.3+): named with the reason, the password never echoed; see
        README "Why there is no start password"."""
        f = self.f
        method = f.get("desktop.startMethod")
        active = method not in (None, "", "none")
        for key in PASSWORD:
            if f.raw(f"desktop.{key}") is not None:
                f.get(f"desktop.{key}")
                if active:
                    f.mark(f"desktop.{key}", NAMED)  # never echo the password itself
                else:
                    f.ignore(f"desktop.{key}")
        if active:
            texts = [k for k in PASSWORD[2:] if f.raw(f"desktop.{k}") is not None]
            screen = f" and the password screen's {', '.join(texts)}" if texts else ""
            self.r.unmapped.append(f"desktop.{NO_PASSWORD} (startMethod {method!r}{screen}; see the README)")

    # ------------------------------------------------------------ url or local files
    def _source(self) -> None:
        f, v, r = self.f, self.v, self.r
        is_html = bool(f.get("isHtml", MAPPED))
        desk_html = f.get("desktop.isHtml") if self.desktop_used else None
        if desk_html is not None and desk_html != is_html:
            r.notes.append(
                f"desktop.isHtml = {json.dumps(desk_html)} differs from isHtml = {json.dumps(is_html)}; isHtml is used"
            )
        url = f.get("url", MAPPED) or ""
        desk_url = (f.get("desktop.webUrl") if self.desktop_used else None) or ""
        html_path = f.get("htmlPath", MAPPED) or ""
        html_files = f.get("htmlFiles", MAPPED)
        if not is_html:
            f.ignore("htmlPath")
            f.ignore("htmlFiles")
            url = url or desk_url
            if desk_url and url and desk_url != url:
                r.notes.append(f"desktop.webUrl {desk_url!r} differs from url {url!r}; url is used")
            if not url:
                raise ConfigError(
                    f"{r.shown}: url is empty and isHtml is false: no site or files to wrap",
                    "pass --url URL or --dist FOLDER with the import",
                )
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
        if html_path and not foreign_windows_path(html_path):
            folder = self._local_path("htmlPath", html_path).resolve()
            if (folder / "index.html").is_file():
                return folder
        committed = self.base.parent / "src"
        if self.base.name == "scripts" and (committed / "index.html").is_file():
            self.r.notes.append(
                f"htmlPath {html_path!r} is not on this machine: using src/ beside scripts/, "
                "where the PakePlus cloud flow committed the app's files"
            )
            return committed.resolve()
        raise ConfigError(
            f"{self.r.shown}: isHtml is true but htmlPath {html_path!r} is not a folder with index.html here",
            "pass --dist FOLDER with the app's web files (the folder holding index.html)",
        )

    def _local_path(self, field: str, text: str) -> Path:
        """A path a field names, relative to the file's folder, `~` expanded; `~nobody/…` is a ConfigError."""
        home = unknown_home(text)
        if home is not None:
            raise ConfigError(
                f"{self.r.shown}: field {field} starts with {home}, but this machine has no such user "
                "(or no home folder)",
                "write the path out in full, or pass the flag that sets it",
            )
        return self.base / Path(text).expanduser()

    def _shown_path(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.base.parent))
        except ValueError:
            return str(path)

    # ------------------------------------------------------------ icon
    def _icon(self) -> None:
        """The first usable of: `icon` (base64 or a file), `iconPath` (on the user's disk), desktop.iconPath."""
        f, v, r = self.f, self.v, self.r
        candidates = [("icon", f.get("icon")), ("iconPath", f.get("iconPath"))]
        if self.desktop_used:
            candidates.append(("desktop.iconPath", f.get("desktop.iconPath")))
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
            self._local_path(path, text)  # `~nobody/…` is refused here, naming the field
            icon = icon_in(path, text, self.base)
            if isinstance(icon, str):
                f.mark(path, NAMED)
                skipped.append(f"{path} ({icon})")
            else:
                chosen = path
                f.mark(path, MAPPED)
                self._take_icon(icon)
        round_ = f.get("iconRound", MAPPED)
        if chosen or round_ is not None:
            v["app.icon_round"] = True if round_ is None else round_
        if skipped and chosen:
            r.notes.append(f"icon from {chosen}; not usable: {'; '.join(skipped)}")
        elif skipped:
            r.warnings.append(f"no usable icon ({'; '.join(skipped)}); the built-in icon is used")

    def _take_icon(self, icon: Icon) -> None:
        if icon.converted:
            self.r.notes.append("icon converted to PNG (localpack takes PNG, JPEG, WebP or SVG)")
        if icon.file is not None:
            self.v["app.icon"] = icon.file
            return
        file_name = f"{self.name}-icon.{icon.kind}"
        self.r.files[file_name] = icon.data
        self.v["app.icon"] = Path(file_name)

    # ------------------------------------------------------------ window
    def _window(self) -> None:
        f, v, r = self.f, self.v, self.r
        windows = f.section("more.windows")
        for key in ("width", "height"):
            top = f.get(key, MAPPED)
            win = f.get(f"more.windows.{key}")
            if win is not None:
                f.mark(f"more.windows.{key}", MAPPED if top is None or win != top else SAME)
                if top is not None and win != top:
                    f.mark(key, SAME)
                    r.notes.append(
                        f"window {key}: more.windows.{key} = {win:g} is used (the window PakePlus built); "
                        f"the top-level {key} = {top:g} differs"
                    )
            size, source = (win, f"more.windows.{key}") if win is not None else (top, key)
            v[f"window.{key}"] = f.whole(size, source) if size else (800 if key == "width" else 600)
        for key, value in windows.items():
            path = f"more.windows.{key}"
            row = FIELDS.get(path)
            if path in _COPY_SOURCES or key in ("width", "height"):
                continue  # taken in _desktop_flags, or above
            if row is None:
                f.name(path)
            elif key == "titleBarStyle":
                f.get(path, MAPPED)
                if value == "Overlay":
                    v["window.hide_title_bar"] = True
                elif value not in (None, "Visible"):
                    f.name(path, f"{path}={value!r} (only 'Overlay' → hide_title_bar)")
            elif key == "hiddenTitle":
                if windows.get("titleBarStyle") == "Overlay":
                    f.get(path, MAPPED, kind=BOOL)  # part of hide_title_bar
                else:
                    self._plain(Field(path, None, NAMED, default=False))
            else:
                self._plain(row)
                if key == "title" and value and value != v["app.title"]:
                    r.notes.append(
                        f"more.windows.title {value!r} differs from showName {v['app.title']!r}; "
                        "showName is the window title"
                    )
                if key == "url" and value and "app.url" in v and value != v["app.url"] and "://" in value:
                    r.notes.append(f"more.windows.url {value!r} differs from url {v['app.url']!r}; url is used")

    # ------------------------------------------------------------ injected scripts and styles
    def _scripts(self) -> None:
        f, v, r = self.f, self.v, self.r
        inject: list[Path] = []
        custom_js = f.get("customJs", MAPPED) or ""
        if custom_js.strip():
            r.files[f"{self.name}-custom.js"] = custom_js.encode("utf-8")
            inject.append(Path(f"{self.name}-custom.js"))
        for entry in f.get("jsFile", MAPPED) or []:
            path = self._local_path("jsFile", entry)
            if entry.endswith(".js") and path.is_file():
                inject.append(path.resolve())
            else:
                f.mark("jsFile", NAMED)
                r.unmapped.append(f"jsFile {entry[:60]!r} (not a .js file on this machine)")
        filter_css = f.get("filterCss", MAPPED) or ""
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
        for row in self._present_rows(""):
            self._plain(row)
        for group, paths in self.groups.items():
            r.unmapped.append(f"{', '.join(paths)} ({group})")
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
