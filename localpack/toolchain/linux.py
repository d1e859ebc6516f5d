"""Linux: a C toolchain, pkg-config and the GTK/WebKit libraries Tauri links against, and what
the AppImage bundler needs. Library checks ask pkg-config, as Tauri's own build scripts do."""

from __future__ import annotations

from localpack.core.messages import Msg
from localpack.toolchain.checks import Check, Host, missing, tool_version, versioned
from localpack.toolchain.host import read_os_release, system_hint

LIBRARIES = ("webkit2gtk-4.1", "librsvg-2.0", "gtk+-3.0")
TRAY = "ayatana-appindicator3-0.1"
TRAY_FALLBACK = "appindicator3-0.1"  # the bundler accepts either (field notes: tray-icon)
_LIB_DIRS = ("lib", "lib64", "usr/lib", "usr/lib64")


def linux_checks(host: Host, targets: list[str], *, tray: bool) -> list[Check]:
    pm = read_os_release(host.os_release).package_manager
    out = [_program(host, pm, "cc", "a C compiler and linker (gcc)", required=True)]
    pkg_config = _program(host, pm, "pkg-config", "pkg-config", required=True)
    out.append(pkg_config)
    for lib in LIBRARIES:
        out.append(_module(host, pm, pkg_config, lib, required=True))
    out.append(_module(host, pm, pkg_config, TRAY, required=tray, fallback=TRAY_FALLBACK))
    if "appimage" in targets:
        out.append(_program(host, pm, "patchelf", "patchelf", required=True))
        out.append(_fuse(host, pm))
    return out


def _program(host: Host, pm: str | None, name: str, what: str, *, required: bool) -> Check:
    hint, pkgs = system_hint(name, pm, what)
    path = host.which(name)
    if path is None:
        return missing(name, required=required, hint=hint, packages=pkgs)
    return versioned(
        name,
        path=path,
        version=tool_version(host, path),
        minimum=None,
        required=required,
        hint_old=hint,
        hint_broken=hint,
    )


def _module(
    host: Host, pm: str | None, pkg_config: Check, name: str, *, required: bool, fallback: str | None = None
) -> Check:
    """A library as pkg-config sees it (`pkg-config --modversion NAME`), i.e. with its dev files."""
    hint, pkgs = system_hint(name, pm, f"the development files of {name}")
    if pkg_config.path is None:
        return missing(name, required=required, hint=hint, packages=pkgs, problem=Msg("unknown: pkg-config is missing"))
    for module in (name, fallback):
        if module is None:
            continue
        done = host.run([pkg_config.path, "--modversion", module])
        if done is not None and done.ok and done.lines:
            return Check(name, ok=True, required=required, version=done.lines[0].strip() or None)
    return missing(
        name,
        required=required,
        hint=hint,
        packages=pkgs,
        problem=Msg("not found by pkg-config (the -dev/-devel package is missing)"),
    )


def _fuse(host: Host, pm: str | None) -> Check:
    """AppImage tools are AppImages: they mount themselves with libfuse 2, or extract when told to."""
    hint, pkgs = system_hint("fuse", pm, "FUSE 2 (libfuse.so.2)")
    hint += " (or build with APPIMAGE_EXTRACT_AND_RUN=1 set)"
    if host.env.get("APPIMAGE_EXTRACT_AND_RUN") == "1":
        return Check("fuse", ok=True, required=False, path="APPIMAGE_EXTRACT_AND_RUN=1")
    for folder in _LIB_DIRS:
        for lib in (*(host.root / folder).glob("libfuse.so.2*"), *(host.root / folder).glob("*/libfuse.so.2*")):
            return Check("fuse", ok=True, required=False, path=str(lib))
    return missing("fuse", required=False, hint=hint, packages=pkgs, problem=Msg("libfuse.so.2 not found"))
