"""Which installer formats a build makes: the requested ones, or this platform's usual set
minus the ones that cannot work here (with the reason)."""

from __future__ import annotations

import difflib
import socket
from collections.abc import Callable, Sequence

from localpack.core.platform import host_os
from localpack.errors import ConfigError

TARGETS = ("deb", "rpm", "appimage", "msi", "nsis", "app", "dmg")
BY_OS = {"linux": ("deb", "rpm", "appimage"), "macos": ("app", "dmg"), "windows": ("nsis", "msi")}
OS_OF = {t: os_name for os_name, ts in BY_OS.items() for t in ts}


def github_reachable(timeout: float = 1.5) -> bool:
    try:
        socket.create_connection(("github.com", 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def parse(text: str) -> tuple[str, ...]:
    """`--targets deb,rpm` → ("deb", "rpm"), each checked against the known formats."""
    items = tuple(t.strip().lower() for t in text.replace(" ", ",").split(",") if t.strip())
    for t in items:
        if t not in TARGETS:
            close = difflib.get_close_matches(t, TARGETS, n=1)
            raise ConfigError(
                f"--targets: unknown format {t!r}" + (f" (did you mean '{close[0]}'?)" if close else ""),
                f"known formats: {' '.join(TARGETS)}",
            )
    return items


def resolve(
    requested: Sequence[str],
    *,
    offline: bool,
    warn: Callable[[str], None],
    tools_cached: Callable[[], bool],
    reachable: Callable[[], bool] = github_reachable,
) -> list[str]:
    """The formats to build. Requested ones must suit this OS; defaults drop what cannot work here.

    `tools_cached` says whether the AppImage tools are there without a download (offline/ knows: it looks
    into the Tauri tool cache and localpack's prefetched data).
    """
    here = host_os()
    if requested:
        wrong = [t for t in requested if OS_OF[t] != here]
        if wrong:
            raise ConfigError(
                f"{', '.join(wrong)} installers can only be built on {OS_OF[wrong[0]]}, not on {here}",
                f"build them on that system; here you can build: {' '.join(BY_OS.get(here, ()))}",
            )
        return list(dict.fromkeys(requested))
    chosen = list(BY_OS.get(here, ()))
    if "appimage" in chosen and not tools_cached() and (offline or not reachable()):
        chosen.remove("appimage")
        warn(
            "skipping AppImage: the bundler must download linuxdeploy from GitHub, which is not reachable "
            "(run `localpack prefetch --targets appimage` on a connected machine)"
        )
    if not chosen:
        raise ConfigError(f"localpack cannot build installers on {here}", "use Linux, macOS or Windows")
    return chosen
