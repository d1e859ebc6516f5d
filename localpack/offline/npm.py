"""The pinned Tauri CLI as npm tarballs, so `localpack setup` can install it without a registry.

`@tauri-apps/cli` is a small JS wrapper; the CLI itself is the napi-rs platform package
(`@tauri-apps/cli-linux-x64-gnu`, an optional dependency with the same version). Both tarballs
installed together with `npm install --offline --prefix DIR A.tgz B.tgz` need no registry and no
npm cache (checked with npm 11.19: registry set to a closed port, empty cache, `tauri --version`
prints 2.12.5).
"""

from __future__ import annotations

import base64
import hashlib
import platform
import shutil
import sys
from pathlib import Path

from localpack import jsonio
from localpack.core import proc
from localpack.errors import ToolMissing
from localpack.versions import JQUERY, TAURI_CLI

PACKAGE = "@tauri-apps/cli"


def platform_package(system: str | None = None, machine: str | None = None, libc: str | None = None) -> str:
    """napi-rs's name for this platform's binary package, e.g. `@tauri-apps/cli-linux-x64-gnu`."""
    system = system or sys.platform
    machine = (machine or platform.machine()).lower()
    arch = {
        "x86_64": "x64",
        "amd64": "x64",
        "aarch64": "arm64",
        "arm64": "arm64",
        "armv7l": "arm",
        "i686": "ia32",
        "i386": "ia32",
        "x86": "ia32",
        "riscv64": "riscv64",
    }.get(machine, machine)
    if system.startswith("linux"):
        if arch == "arm":
            return f"{PACKAGE}-linux-arm-gnueabihf"
        libc = libc if libc is not None else platform.libc_ver()[0]
        return f"{PACKAGE}-linux-{arch}-{'gnu' if libc == 'glibc' else 'musl'}"
    if system == "darwin":
        return f"{PACKAGE}-darwin-{arch}"
    if system == "win32":
        return f"{PACKAGE}-win32-{arch}-msvc"
    raise ToolMissing(f"the Tauri CLI has no npm package for {system} {machine}", "install cargo-tauri instead")


def packages() -> list[tuple[str, str]]:
    """(name, version) of everything `localpack setup` installs: the CLI, its platform binary, and jQuery."""
    return [(PACKAGE, TAURI_CLI), (platform_package(), TAURI_CLI), ("jquery", JQUERY)]


def specs() -> list[str]:
    return [f"{name}@{version}" for name, version in packages()]


def pack(dest: Path, package_specs: list[str] | None = None) -> list[Path]:
    """`npm pack` each spec into `dest`; each tarball is checked against the integrity npm reports."""
    npm = shutil.which("npm")
    if npm is None:
        raise ToolMissing("npm was not found (needed to fetch the Tauri CLI)", "install Node.js with npm")
    dest.mkdir(parents=True, exist_ok=True)
    wanted = package_specs or specs()
    done = proc.run([npm, "pack", "--json", "--ignore-scripts", "--pack-destination", str(dest), *wanted], timeout=600)
    start = done.output.find("[")
    try:
        packed = jsonio.loads(done.output[start:]) if done.ok and start >= 0 else None
    except ValueError:
        packed = None
    if not packed:
        last = next((line for line in reversed(done.lines) if line.strip()), "")
        raise ToolMissing(f"`npm pack {' '.join(wanted)}` failed: {last}", "check the network and the npm registry")
    tarballs = []
    for entry in packed:
        path = dest / entry["filename"]
        algo, _, expected = entry["integrity"].partition("-")
        actual = base64.b64encode(hashlib.new(algo, path.read_bytes()).digest()).decode()
        if actual != expected:
            path.unlink(missing_ok=True)
            raise ToolMissing(f"{path.name}: checksum differs from the registry's", "run `localpack prefetch` again")
        tarballs.append(path)
    return tarballs


def tarballs(npm_dir: Path) -> list[Path]:
    """The stored tarballs of what `localpack setup` installs, for this platform (all, or none)."""
    found = [npm_dir / f"{name.lstrip('@').replace('/', '-')}-{version}.tgz" for name, version in packages()]
    return found if all(p.is_file() for p in found) else []


def install_command(npm_dir: Path, prefix: Path) -> list[str] | None:
    """The command that installs the stored CLI into `prefix` with no network, or None if not stored."""
    found = tarballs(npm_dir)
    if not found:
        return None
    return [
        shutil.which("npm") or "npm",
        "install",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--prefix",
        str(prefix),
        *map(str, found),
    ]
