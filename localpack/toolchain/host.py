"""Which Linux this is (`/etc/os-release`), its package manager, and the exact install line.

Package names per distribution follow Tauri's prerequisites page
(https://v2.tauri.app/start/prerequisites/), with the 4.1 WebKitGTK names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from localpack.errors import ConfigError
from localpack.fsutil import read_user_file

# os-release ID / ID_LIKE → package manager
_PM_OF_ID = {
    "debian": "apt",
    "ubuntu": "apt",
    "linuxmint": "apt",
    "pop": "apt",
    "elementary": "apt",
    "raspbian": "apt",
    "fedora": "dnf",
    "rhel": "dnf",
    "centos": "dnf",
    "rocky": "dnf",
    "almalinux": "dnf",
    "nobara": "dnf",
    "arch": "pacman",
    "manjaro": "pacman",
    "endeavouros": "pacman",
    "garuda": "pacman",
    "opensuse": "zypper",
    "opensuse-tumbleweed": "zypper",
    "opensuse-leap": "zypper",
    "suse": "zypper",
    "sles": "zypper",
}

_INSTALL = {
    "apt": "sudo apt install {}",
    "dnf": "sudo dnf install {}",
    "pacman": "sudo pacman -S --needed {}",
    "zypper": "sudo zypper install {}",
}

# what a check needs → the package that provides it, per package manager
PACKAGES: dict[str, dict[str, str]] = {
    "webkit2gtk-4.1": {
        "apt": "libwebkit2gtk-4.1-dev",
        "dnf": "webkit2gtk4.1-devel",
        "pacman": "webkit2gtk-4.1",
        "zypper": "webkit2gtk3-devel",
    },
    "librsvg-2.0": {"apt": "librsvg2-dev", "dnf": "librsvg2-devel", "pacman": "librsvg", "zypper": "librsvg-devel"},
    "gtk+-3.0": {"apt": "libgtk-3-dev", "dnf": "gtk3-devel", "pacman": "gtk3", "zypper": "gtk3-devel"},
    "ayatana-appindicator3-0.1": {
        "apt": "libayatana-appindicator3-dev",
        "dnf": "libappindicator-gtk3-devel",
        "pacman": "libayatana-appindicator",
        "zypper": "'pkgconfig(ayatana-appindicator3-0.1)'",
    },
    "pkg-config": {"apt": "pkg-config", "dnf": "pkgconf-pkg-config", "pacman": "pkgconf", "zypper": "pkg-config"},
    "cc": {"apt": "build-essential", "dnf": "gcc", "pacman": "base-devel", "zypper": "gcc"},
    "patchelf": {"apt": "patchelf", "dnf": "patchelf", "pacman": "patchelf", "zypper": "patchelf"},
    "fuse": {"apt": "libfuse2", "dnf": "fuse-libs", "pacman": "fuse2", "zypper": "libfuse2"},
    "node": {"apt": "nodejs npm", "dnf": "nodejs npm", "pacman": "nodejs npm", "zypper": "nodejs npm"},
}


@dataclass(frozen=True)
class Distro:
    id: str
    id_like: tuple[str, ...]
    pretty: str

    @property
    def package_manager(self) -> str | None:
        for name in (self.id, *self.id_like):
            if name in _PM_OF_ID:
                return _PM_OF_ID[name]
            if name.startswith("opensuse"):
                return "zypper"
        return None


def read_os_release(path: Path) -> Distro:
    """Parse an os-release file (KEY=value, values optionally quoted); unknown when unreadable."""
    values: dict[str, str] = {}
    try:
        text = read_user_file(path, "os-release file", "", limit=1 << 20).decode("utf-8", errors="replace")
    except ConfigError:  # missing, unreadable, or not a regular file (LOCALPACK_OS_RELEASE can point anywhere)
        text = ""
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#"):
            values[key] = value.strip().strip("'\"")
    return Distro(
        id=values.get("ID", "").lower(),
        id_like=tuple(values.get("ID_LIKE", "").lower().split()),
        pretty=values.get("PRETTY_NAME", values.get("NAME", "")),
    )


def packages_for(needs: list[str], pm: str | None) -> tuple[str, ...]:
    """The packages providing `needs` (check names from PACKAGES) under `pm`."""
    if pm is None:
        return ()
    out: list[str] = []
    for need in needs:
        out += PACKAGES[need][pm].split()
    return tuple(dict.fromkeys(out))


def install_line(pm: str | None, packages: tuple[str, ...] | list[str], fallback: str) -> str:
    """`sudo apt install …` for the package manager; `fallback` text when it is unknown."""
    if pm is None or not packages:
        return fallback
    return _INSTALL[pm].format(" ".join(packages))


def system_hint(need: str, pm: str | None, what: str) -> tuple[str, tuple[str, ...]]:
    """(hint, packages) for one system need; without a known package manager, describe it."""
    pkgs = packages_for([need], pm)
    return install_line(pm, pkgs, f"install {what} with your distribution's package manager"), pkgs
