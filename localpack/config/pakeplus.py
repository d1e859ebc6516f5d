"""Import a PakePlus project (`ppconfig.json`) as localpack config values.

Every field is mapped, converted to localpack's rules with a note of what changed, or named
in one warning: nothing is dropped silently. The base64 icon and `customJs` become files
(next to the new localpack.toml for `init`, in the cache for `--from-pakeplus` on render/build).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localpack import output
from localpack.config import rules as config_rules
from localpack.config.names import machine_name
from localpack.errors import ConfigError

# more.windows → [window] keys that mean the same thing.
WINDOW_KEYS = {
    "resizable": "resizable", "fullscreen": "fullscreen", "maximized": "maximized", "minWidth": "min_width",
    "minHeight": "min_height", "maxWidth": "max_width", "maxHeight": "max_height", "decorations": "decorations",
    "alwaysOnTop": "always_on_top", "center": "center", "zoomHotkeysEnabled": "zoom_hotkeys",
    "incognito": "incognito",
}
# more.windows keys localpack has no option for, with PakePlus's defaults: only other values are reported.
WINDOW_UNSUPPORTED = {
    "transparent": False, "visible": True, "focus": True, "closable": True, "minimizable": True,
    "maximizable": True, "alwaysOnBottom": False, "skipTaskbar": False, "tabbingIdentifier": None, "parent": None,
    "dragDropEnabled": True, "browserExtensionsEnabled": False, "contentProtected": False, "useHttpsScheme": False,
    "acceptFirstMouse": False,
}
# more.windows keys that repeat a top-level field (or are localpack's own business).
WINDOW_SAME_AS_TOP = {"label", "title", "url", "width", "height", "create", "devtools", "hiddenTitle"}
MOBILE = ("android", "ios", "phone")
IMAGE_MAGIC = ((b"\x89PNG", "png"), (b"\xff\xd8", "jpg"), (b"RIFF", "webp"), (b"<svg", "svg"), (b"<?xml", "svg"))


@dataclass
class Imported:
    values: dict[str, Any]  # "section.key" → value; files of `files` as relative Paths, others absolute
    files: dict[str, bytes] = field(default_factory=dict)  # file name → content, to write beside the config
    notes: list[str] = field(default_factory=list)  # conversions, shown to the user and written as comments
    unmapped: list[str] = field(default_factory=list)  # fields with no equivalent
    warnings: list[str] = field(default_factory=list)

    def report(self) -> None:
        for note in self.notes:
            output.info(f"note: {note}")
        for text in self.warnings:
            output.warn(text)
        if self.unmapped:
            output.warn("PakePlus fields with no localpack equivalent (not imported): " + "; ".join(self.unmapped))


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.expanduser().read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file", "pass the path of your PakePlus ppconfig.json") from None
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


def _identifier(appid: str, name: str, notes: list[str]) -> str:
    default = f"com.{name.replace('-', '')}.app"  # PakePlus's own default, so app data stays where it was
    if not appid:
        return default
    if config_rules.IDENTIFIER_RE.match(appid) and appid != "com.tauri.dev":
        return appid
    fixed = re.sub(r"[^A-Za-z0-9.-]+", "-", appid).strip(".-")
    fixed = re.sub(r"\.+", ".", fixed)
    if not config_rules.IDENTIFIER_RE.match(fixed) or fixed == "com.tauri.dev":
        fixed = default
    notes.append(f"appid {appid!r} → {fixed!r} (reverse-DNS: ASCII letters, digits, '-', '.')")
    return fixed


def _icon(value: str, name: str, base: Path, result: Imported) -> None:
    text = value.strip()
    if not text:
        return
    candidate = base / text
    if len(text) < 1024 and candidate.is_file():
        result.values["app.icon"] = candidate.resolve()
        return
    try:
        data = base64.b64decode(text.split(",", 1)[1] if text.startswith("data:") else text, validate=True)
    except (binascii.Error, ValueError):
        result.warnings.append("icon: neither base64 image data nor an existing file; the built-in icon is used")
        return
    ext = next((e for magic, e in IMAGE_MAGIC if data.lstrip()[: len(magic)] == magic), None)
    if ext is None:
        result.warnings.append("icon: the base64 data is not a PNG, JPEG, WebP or SVG image; the built-in icon is used")
        return
    file_name = f"{name}-icon.{ext}"
    result.files[file_name] = data
    result.values["app.icon"] = Path(file_name)


def _source(data: dict[str, Any], base: Path, desktop: dict[str, Any], result: Imported) -> None:
    if not data.get("isHtml"):
        url = data.get("url") or desktop.get("webUrl") or ""
        if url:
            result.values["app.url"] = url
        return
    html_path = data.get("htmlPath") or ""
    folder = (base / html_path).resolve() if html_path else None
    if folder is None or not (folder / "index.html").is_file():
        raise ConfigError(
            f"{base / 'ppconfig.json'}: isHtml is true but htmlPath {html_path!r} is not a folder with index.html",
            "pass --dist FOLDER with the app's web files (the folder holding index.html)",
        )
    result.values["app.dist"] = folder
    if data.get("htmlFiles"):
        result.notes.append(f"htmlFiles: the whole folder {html_path!r} is bundled")


def _window(windows: dict[str, Any], result: Imported) -> None:
    values = result.values
    for key, value in windows.items():
        if key in WINDOW_KEYS:
            if value is not None:
                values[f"window.{WINDOW_KEYS[key]}"] = value
        elif key == "userAgent":
            if value:
                values["window.user_agent"] = value
        elif key == "proxyUrl":
            if value:
                values["window.proxy"] = value
        elif key == "theme":
            if value:
                values["window.theme"] = str(value).lower()
        elif key == "titleBarStyle":
            if value == "Overlay":
                values["window.hide_title_bar"] = True
            elif value not in (None, "Visible"):
                result.unmapped.append(f"more.windows.titleBarStyle={value!r} (only 'Overlay' → hide_title_bar)")
        elif key in WINDOW_UNSUPPORTED:
            if value != WINDOW_UNSUPPORTED[key]:
                result.unmapped.append(f"more.windows.{key}={json.dumps(value)}")
        elif key not in WINDOW_SAME_AS_TOP:
            result.unmapped.append(f"more.windows.{key}")
    if windows.get("devtools") and not values.get("behavior.devtools"):
        result.notes.append("more.windows.devtools: devtools follow PakePlus's `debug` switch (off)")


def convert(data: dict[str, Any], source: Path, *, has_source: bool = False) -> Imported:
    """Map a ppconfig.json object onto localpack config values. `source` is the file (for relative paths);
    `has_source`: the caller sets url/dist itself (a flag), so `url`/`isHtml` are not needed."""
    base = source.parent
    desktop = data.get("desktop") if isinstance(data.get("desktop"), dict) else {}
    result = Imported(values={})
    v, notes = result.values, result.notes

    raw_name = str(data.get("name") or desktop.get("name") or "")
    name = kebab_name(raw_name) if raw_name else "my-app"
    if raw_name and name != raw_name:
        notes.append(f"name {raw_name!r} → {name!r} (lowercase letters, digits and '-')")
    v["app.name"] = name
    title = str(data.get("showName") or desktop.get("showName") or raw_name or name)
    v["app.title"] = title
    v["app.identifier"] = _identifier(str(data.get("appid") or desktop.get("id") or ""), name, notes)
    version, note = semver(str(data.get("version") or desktop.get("version") or "1.0.0"))
    v["app.version"] = version
    if note:
        notes.append(note)
    description = str(data.get("desc") or desktop.get("desc") or "")
    if description:
        v["app.description"] = description
    if not has_source:
        _source(data, base, desktop, result)
    _icon(str(data.get("icon") or ""), name, base, result)
    if data.get("icon") or "iconRound" in data:
        v["app.icon_round"] = bool(data.get("iconRound", True))

    for key, default in (("width", 800), ("height", 600)):
        v[f"window.{key}"] = int(data.get(key) or (data.get("more") or {}).get("windows", {}).get(key) or default)
    v["behavior.single_instance"] = bool(data.get("single", True))
    v["behavior.remember_window"] = bool(data.get("state", True))
    debug = bool(data.get("debug", data.get("devbug", desktop.get("debug", False))))
    v["behavior.devtools"] = debug
    if debug:
        notes.append("debug → devtools = true (PakePlus's on-page console is not added)")
    windows = (data.get("more") or {}).get("windows") or {}
    if isinstance(windows, dict):
        _window(windows, result)
    if data.get("tauriApi") or desktop.get("tauriApi"):
        result.warnings.append("tauriApi: localpack never exposes the Tauri API (IPC) to web pages it loads; "
                               "the page runs without window.__TAURI__")

    inject: list[Path] = []
    custom_js = str(data.get("customJs") or "")
    if custom_js.strip():
        result.files[f"{name}-custom.js"] = custom_js.encode("utf-8")
        inject.append(Path(f"{name}-custom.js"))
    for entry in data.get("jsFile") or []:
        path = base / str(entry)
        if str(entry).endswith(".js") and path.is_file():
            inject.append(path.resolve())
        else:
            result.unmapped.append(f"jsFile {str(entry)[:60]!r} (not a .js file next to ppconfig.json)")
    filter_css = str(data.get("filterCss") or "")
    if "{" in filter_css:  # whole CSS rules, not a selector list
        result.files[f"{name}-filter.css"] = filter_css.encode("utf-8")
        inject.append(Path(f"{name}-filter.css"))
    else:
        selectors = [s.strip() for s in re.split(r"[;\n]", filter_css) if s.strip()]
        if selectors:
            v["behavior.hide_selectors"] = selectors
    if inject:
        v["behavior.inject"] = inject

    if data.get("injectJq"):
        result.unmapped.append("injectJq (jQuery is not injected; add it to an inject .js file if a script needs it)")
    mobile = [k for k in MOBILE if data.get(k)]
    if mobile:
        result.unmapped.append(", ".join(mobile) + " (mobile builds are not part of localpack)")
    known = {"name", "showName", "appid", "version", "desc", "url", "isHtml", "htmlPath", "htmlFiles", "icon",
             "iconRound", "single", "state", "debug", "devbug", "tauriApi", "customJs", "jsFile", "filterCss",
             "width", "height", "more", "desktop", "injectJq", "platform", *MOBILE}
    result.unmapped += sorted(k for k in data if k not in known)
    return result


def to_overrides(path: Path, cache: Path, *, has_source: bool) -> dict[str, Any]:
    """`--from-pakeplus FILE` on render/build: config overrides, with the icon and scripts kept in the cache."""
    source = path.expanduser().resolve()
    imported = convert(read(source), source, has_source=has_source)
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
