"""The app's names, version and description from a ppconfig.json: made valid for localpack (kebab-case name,
reverse-DNS identifier, major.minor.patch), the top level over the desktop section's copies except where the
desktop section holds what PakePlus built with (desktop.id = appid + '.desktop', desktop.desc)."""

from __future__ import annotations

import re
from typing import Any

from localpack.config import rules as config_rules
from localpack.config.names import machine_name
from localpack.config.pakeplus.fields import MAPPED, SAME, Reader
from localpack.config.pakeplus.result import Imported

# PakePlus's default description of the desktop app: not the user's words.
BOILERPLATE = ("打包仅限个人使用", "Package for personal use only")


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


def identity(f: Reader, r: Imported) -> tuple[str, bool]:
    """Name, title, version, identifier and description into `r.values`; returns the app's name and whether
    the desktop section is this project's (a `desktop.name` of another project is PakePlus's template)."""
    notes, v = r.notes, r.values
    raw_name = f.get("name", MAPPED) or ""
    desktop_name = f.get("desktop.name")
    desktop_used = bool(f.raw("desktop")) and (not desktop_name or not raw_name or desktop_name == raw_name)
    if f.raw("desktop") and not desktop_used:
        r.warnings.append(
            f"its desktop section belongs to another project (desktop.name {desktop_name!r}, name {raw_name!r}); "
            "the top-level fields are used and the desktop section is not"
        )
        for key in f.section("desktop"):
            f.ignore(f"desktop.{key}")
    elif desktop_name is not None:
        f.mark("desktop.name", SAME)
    raw_name = raw_name or (desktop_name if desktop_used else "") or ""
    name = kebab_name(raw_name) if raw_name else "my-app"
    if raw_name and name != raw_name:
        notes.append(f"name {raw_name!r} → {name!r} (lowercase letters, digits and '-')")
    v["app.name"] = name

    title = _same_as(f, r, "showName", "desktop.showName", desktop_used) or raw_name or name
    v["app.title"] = title
    version = _same_as(f, r, "version", "desktop.version", desktop_used)
    fixed, note = semver(str(version if version is not None else "1.0.0"))
    v["app.version"] = fixed
    if note:
        notes.append(note)
    v["app.identifier"] = _identifier(f, notes, name, desktop_used)
    description = _description(f, notes, desktop_used)
    if description:
        v["app.description"] = description
    return name, desktop_used


def _same_as(f: Reader, r: Imported, top: str, copy: str, desktop_used: bool) -> Any:
    """The top-level value; its copy in the desktop section is checked for agreement."""
    value = f.get(top, MAPPED)
    if not desktop_used:
        return value
    other = f.get(copy, SAME)
    if other is None:
        r.fates.pop(copy, None)
        return value
    if value in (None, ""):
        r.fates[copy] = MAPPED
        return other
    if str(other) != str(value) and other != "":
        r.notes.append(f"{copy} {other!r} differs from {top} {value!r}; {top} is used")
    return value


def _identifier(f: Reader, notes: list[str], name: str, desktop_used: bool) -> str:
    appid = f.get("appid", MAPPED) or ""
    desktop_id = f.get("desktop.id") if desktop_used else None
    default = f"com.{name.replace('-', '')}.app"  # PakePlus's own default, so app data stays where it was
    chosen = appid
    if desktop_id is not None:
        if appid and desktop_id == appid + ".desktop" and config_rules.IDENTIFIER_RE.match(desktop_id):
            f.mark("desktop.id", MAPPED)
            chosen = desktop_id
            notes.append(
                f"identifier {desktop_id!r}: desktop.id, the identifier PakePlus built the desktop app "
                f"with (appid + '.desktop'), so its saved logins and data are found again"
            )
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


def _description(f: Reader, notes: list[str], desktop_used: bool) -> str:
    top = (f.get("desc", MAPPED) or "").strip()
    if not desktop_used or f.raw("desktop.desc") is None:
        return top
    desk = (f.get("desktop.desc") or "").strip()
    if desk and any(b in desk for b in BOILERPLATE):
        f.ignore("desktop.desc")  # PakePlus's "for personal use only" notice, not the user's words
        return top
    if top and desk and desk != top:
        f.mark("desktop.desc", SAME)
        notes.append("desktop.desc differs from desc; desktop.desc (what PakePlus built with) is used")
        return desk
    f.mark("desktop.desc", MAPPED if desk and not top else SAME)
    return desk or top
