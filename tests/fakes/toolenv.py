"""A fake machine for the toolchain checks: a PATH of stand-in executables that print the real
version strings of the real tools, a fake `pkg-config` that knows a given set of modules, a fake
os-release and an empty HOME. Used by test_toolchain*.py, test_doctor*.py and test_setup*.py."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from localpack.toolchain.checks import Host

# what the real tools print for `--version` (captured on Debian 12 with rustup)
VERSIONS = {
    "rustc": "rustc 1.95.0 (59807616e 2026-04-14)",
    "cargo": "cargo 1.95.0 (f2d3ce0bd 2026-03-21)",
    "rustup": "rustup 1.28.2 (e4f3ad6f8 2025-04-28)",
    "node": "v20.20.2",
    "npm": "11.19.1",
    "cc": "cc (Debian 12.2.0-14) 12.2.0",
    "pkg-config": "1.8.1",
    "patchelf": "patchelf 0.14.3",
}
LIBRARIES = {"webkit2gtk-4.1": "2.48.1", "librsvg-2.0": "2.54.7", "gtk+-3.0": "3.24.38"}
OS_RELEASE = {
    "debian": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n',
    "ubuntu": 'PRETTY_NAME="Ubuntu 24.04.2 LTS"\nID=ubuntu\nID_LIKE=debian\n',
    "fedora": 'NAME="Fedora Linux"\nVERSION_ID=42\nID=fedora\n',
    "arch": 'NAME="Arch Linux"\nPRETTY_NAME="Arch Linux"\nID=arch\n',
    "opensuse": 'NAME="openSUSE Tumbleweed"\nID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n',
    "unknown": 'NAME="Some Linux"\nID=somelinux\n',
}


def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@dataclass
class ToolEnv:
    root: Path
    tauri: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def os_release(self) -> Path:
        return self.root / "os-release"

    def tool(self, name: str, output: str, code: int = 0, folder: Path | None = None) -> Path:
        """An executable `name` that prints `output` (stderr when it fails) and exits `code`."""
        stream = "" if code == 0 else " >&2"
        return _script((folder or self.bin) / name, f"printf '%s\\n' '{output}'{stream}\nexit {code}\n")

    def remove(self, name: str) -> None:
        (self.bin / name).unlink()

    def pkg_config(self, modules: dict[str, str]) -> None:
        """Answers `--version`, `--modversion NAME` and `--exists NAME` like pkg-config does."""
        cases = "".join(
            f"    {m}) [ \"$1\" = --modversion ] && printf '%s\\n' '{v}'; exit 0;;\n" for m, v in modules.items()
        )
        _script(
            self.bin / "pkg-config",
            (
                '[ "$1" = --version ] && { echo 1.8.1; exit 0; }\n'
                'case "$2" in\n' + cases + "esac\n"
                'echo "Package $2 was not found in the pkg-config search path." >&2\nexit 1\n'
            ),
        )

    def distro(self, name: str) -> None:
        self.os_release.write_text(OS_RELEASE[name], encoding="utf-8")

    def tauri_cli(self, version: str = "2.12.6", *, npm: bool = True) -> Path:
        folder = self.root / ("node_modules/.bin" if npm else "cargo-bin")
        self.tauri = self.tool("tauri", f"tauri-cli {version}", folder=folder)
        return self.tauri

    @property
    def env(self) -> dict[str, str]:
        env = {
            "PATH": str(self.bin),
            "HOME": str(self.home),
            "CARGO_HOME": str(self.home / ".cargo"),
            "LOCALPACK_OS_RELEASE": str(self.os_release),
            "LOCALPACK_PROBE_URL": "http://127.0.0.1:9/",  # refused at once: the network check fails fast
            **self.extra,
        }
        if self.tauri is not None:
            env["LOCALPACK_TAURI"] = str(self.tauri)
        return env

    def apply(self, monkeypatch) -> None:  # noqa: ANN001
        """Make this the environment of the current process (for in-process preflight)."""
        monkeypatch.delenv("LOCALPACK_TAURI", raising=False)
        for key, value in self.env.items():
            monkeypatch.setenv(key, value)

    def host(self, os_name: str = "linux") -> Host:
        return Host(os=os_name, env={**os.environ, **self.env}, os_release=self.os_release, root=self.root / "sysroot")


def make(
    root: Path,
    *,
    distro: str = "debian",
    without: tuple[str, ...] = (),
    libraries: dict[str, str] | None = None,
    tauri: bool = True,
) -> ToolEnv:
    """A machine with every tool and library a Linux deb/rpm build needs, minus `without`."""
    env = ToolEnv(root)
    env.home.mkdir(parents=True)
    env.distro(distro)
    for name, output in VERSIONS.items():
        if name not in without and name != "pkg-config":
            env.tool(name, output)
    if "pkg-config" not in without:
        libs = dict(LIBRARIES if libraries is None else libraries)
        env.pkg_config({k: v for k, v in libs.items() if k not in without})
    if tauri:
        env.tauri_cli()
    return env


def by_name(checks: list) -> dict:
    """Checks keyed by their name."""
    return {c.name: c for c in checks}
