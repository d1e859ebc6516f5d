"""A clean Debian 12 root for the real tier: what a user who never installed a compiler has.

`debootstrap --variant=minbase bookworm` from this machine's Debian mirror, plus Python (venv, pip), the WebKitGTK
runtime library (libwebkit2gtk-4.1-0, which pulls GTK) and a font: no Rust, no cc, no pkg-config, no -dev
package, no Node.js. Made once and kept outside the clone (`~/.cache/localpack-tests/debian12-root`, a
`.complete` marker when whole); each test works in a copy of it (`fresh`), so the kept root stays clean.

Commands run inside with `chroot`; /proc, /dev, /dev/pts, /dev/shm and the X11 socket folder are bind-mounted
for the time of a `Mounted` block. pip inside reaches the index only with this machine's CA bundle
($SSL_CERT_FILE) and /etc/pip.conf, copied in.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

CACHE = Path(os.environ.get("LOCALPACK_DEBIAN_ROOT", Path.home() / ".cache" / "localpack-tests" / "debian12-root"))
BASE = ("python3", "python3-venv", "python3-pip", "ca-certificates")
# Installed with apt inside the new root: debootstrap's --include does not resolve virtual packages (GTK's
# gsettings backend needs a dbus-session-bus, which dbus-x11 provides).
PACKAGES = ("libwebkit2gtk-4.1-0", "fonts-dejavu-core", "dbus", "dbus-x11")
MARKER = ".complete"
CA_IN_ROOT = "/etc/ssl/certs/localpack-host-ca.pem"


def mirror() -> str:
    """The Debian mirror this machine's apt uses (deb822 `URIs:` or a one-line `deb` entry)."""
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*")) + [Path("/etc/apt/sources.list")]:
        text = path.read_text() if path.is_file() else ""
        found = re.search(r"^URIs:\s*(\S+/debian)\s*$", text, re.MULTILINE) or re.search(
            r"^deb\s+(\S+/debian)\s", text, re.MULTILINE
        )
        if found:
            return found.group(1)
    return "http://deb.debian.org/debian"


def ensure(log: Path) -> Path:
    """The kept root, made now if it is not complete (several minutes: a few hundred MB of packages)."""
    if (CACHE / MARKER).is_file():
        return CACHE
    partial = CACHE.with_name(CACHE.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a") as out:
        subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(BASE)}", "bookworm", str(partial), mirror()],
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=3600,
        )
        shutil.copyfile("/etc/resolv.conf", partial / "etc" / "resolv.conf")
        with Mounted(partial, points=("proc",)):
            subprocess.run(
                ["chroot", str(partial), "apt-get", "install", "-y", "--no-install-recommends", *PACKAGES],
                env={**env(), "DEBIAN_FRONTEND": "noninteractive"},
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=3600,
            )
    for cache in (partial / "var/cache/apt/archives").glob("*.deb"):
        cache.unlink()
    (partial / MARKER).write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ\n", time.gmtime()))
    shutil.rmtree(CACHE, ignore_errors=True)
    partial.rename(CACHE)
    return CACHE


def fresh(dest: Path, log: Path) -> Path:
    """A copy of the kept root at `dest`, with this machine's CA bundle, pip.conf and resolv.conf in it."""
    subprocess.run(["cp", "-a", str(ensure(log)), str(dest)], check=True)
    ca = os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE")
    if ca and Path(ca).is_file():
        shutil.copyfile(ca, dest / CA_IN_ROOT.lstrip("/"))
    for conf in ("/etc/pip.conf", "/etc/resolv.conf"):
        if Path(conf).is_file():
            shutil.copyfile(conf, dest / conf.lstrip("/"))
    return dest


class Mounted:
    """/proc, /dev, /dev/pts, /dev/shm and /tmp/.X11-unix of this machine inside `root`, while in the block."""

    POINTS = ("proc", "dev", "dev/pts", "dev/shm", "tmp/.X11-unix")

    def __init__(self, root: Path, points: tuple[str, ...] = POINTS) -> None:
        self.root, self.points = root, points
        self.done: list[Path] = []

    def __enter__(self) -> Self:
        for point in self.points:
            source, target = Path("/") / point, self.root / point
            if not source.exists():
                continue
            target.mkdir(parents=True, exist_ok=True)
            args = (
                ["mount", "-t", "proc", "proc", str(target)]
                if point == "proc"
                else ["mount", "--bind", str(source), str(target)]
            )
            subprocess.run(args, check=True)
            self.done.append(target)
        return self

    def __exit__(self, *exc: object) -> None:
        for target in reversed(self.done):
            subprocess.run(["umount", "-l", str(target)], check=False)
        self.done.clear()


def env() -> dict[str, str]:
    """The environment of a command inside the root: a plain user's, with the CA bundle pip needs."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": "/root",
        "LANG": "C.UTF-8",
        "SSL_CERT_FILE": CA_IN_ROOT,
        "PIP_CERT": CA_IN_ROOT,
        "REQUESTS_CA_BUNDLE": CA_IN_ROOT,
    }


def run(
    root: Path, argv: list[str], *, extra: dict[str, str] | None = None, timeout: float = 900, **kwargs: object
) -> subprocess.CompletedProcess:
    """`argv` inside `root` (chroot), its output captured as text."""
    return subprocess.run(
        ["chroot", str(root), *argv],
        env={**env(), **(extra or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )  # type: ignore[arg-type]


def localpack_wheel(dest: Path) -> Path:
    """localpack's own wheel, built from this checkout (what `pip install .` installs)."""
    from tests.conftest import REPO

    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--disable-pip-version-check",
            "--quiet",
            "--wheel-dir",
            str(dest),
            str(REPO),
        ],
        check=True,
        timeout=600,
    )
    return next(dest.glob("localpack-*.whl"))


def install_wheels(root: Path, wheels: list[Path]) -> float:
    """A venv at /opt/localpack in `root` with the given wheel files (their dependencies from the index, as a user
    gets them); returns the seconds it took."""
    inside = root / "tmp" / "wheels"
    inside.mkdir(parents=True, exist_ok=True)
    for wheel in wheels:
        shutil.copyfile(wheel, inside / wheel.name)
    started = time.monotonic()
    done = run(root, ["python3", "-m", "venv", "/opt/localpack"])
    assert done.returncode == 0, done.stderr
    done = run(
        root,
        [
            "/opt/localpack/bin/pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
            *(f"/tmp/wheels/{w.name}" for w in wheels),
        ],
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return time.monotonic() - started
