"""The `Check` record, the `Host` every check looks at, and version helpers.

A check never installs anything: it locates a tool, reads its version by
running it (through `localpack.core.proc`, with a short timeout), compares it with
a minimum and, when something is wrong, says which exact command fixes it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localpack.core import proc
from localpack.core.messages import Msg
from localpack.core.platform import host_os
from localpack.errors import LocalpackError

VERSION_TIMEOUT = 5.0  # seconds for one `TOOL --version`
_VERSION_RE = re.compile(r"(\d+\.\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Check:
    """One tool, library or resource: found or not, good enough or not, and the fix."""

    name: str  # the tool's own name: rustc, webkit2gtk-4.1, msvc, disk…
    ok: bool
    required: bool
    version: str | None = None  # bare: "1.95.0"
    minimum: str | None = None
    path: str | None = None
    hint: str = ""  # the exact command to run (or what to do), empty when ok
    problem: str = ""  # short human text (a `Msg`): "not found", "1.80.0 is older than 1.90"
    packages: tuple[str, ...] = field(default=(), compare=False)  # system packages that fix it

    def to_json(self) -> dict[str, Any]:
        """The `doctor --json` entry (docs/architecture.md)."""
        return {
            "name": self.name,
            "ok": self.ok,
            "required": self.required,
            "version": self.version,
            "minimum": self.minimum,
            "path": self.path,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Host:
    """The outside world the checks look at; tests build one with a fake PATH and os-release."""

    os: str  # "linux", "macos", "windows"
    env: Mapping[str, str]
    os_release: Path = Path("/etc/os-release")
    root: Path = Path("/")  # where system library folders are looked for

    @classmethod
    def current(cls) -> Host:
        env = dict(os.environ)
        return cls(os=host_os(), env=env, os_release=Path(env.get("LOCALPACK_OS_RELEASE", "/etc/os-release")))

    @property
    def home(self) -> Path:
        return Path(self.env.get("HOME") or self.env.get("USERPROFILE") or Path.home())

    @property
    def cargo_bin(self) -> Path:
        """Where rustup puts rustc and cargo (`CARGO_HOME/bin`, default `~/.cargo/bin`)."""
        home = self.env.get("CARGO_HOME")
        return (Path(home) if home else self.home / ".cargo") / "bin"

    def which(self, name: str, *extra_dirs: Path) -> str | None:
        """`name` on this host's PATH, then in `extra_dirs`."""
        found = shutil.which(name, path=self.env.get("PATH", ""))
        if found:
            return found
        for folder in extra_dirs:
            found = shutil.which(name, path=str(folder))
            if found:
                return found
        return None

    def run(self, argv: Sequence[str], timeout: float = VERSION_TIMEOUT) -> proc.Completed | None:
        """Run a probe command; None when it cannot start or does not answer in time."""
        try:
            return proc.run(argv, env=self.env, timeout=timeout)
        except LocalpackError:
            return None


def bare_version(text: str) -> str | None:
    """The first dotted version in a tool's output: `rustc 1.95.0 (…)` → `1.95.0`, `v20.20.2` → `20.20.2`."""
    match = _VERSION_RE.search(text)
    return match.group(1) if match else None


def version_tuple(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in re.findall(r"\d+", version.split("-", 1)[0])[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


def at_least(version: str, minimum: str) -> bool:
    return version_tuple(version) >= version_tuple(minimum)


def tool_version(host: Host, path: str, *args: str) -> str | None:
    """Run `path --version` (or `args`) and return the bare version, None if it fails."""
    done = host.run([path, *(args or ("--version",))])
    if done is None or not done.ok:
        return None
    return bare_version(done.output)


def missing(
    name: str,
    *,
    required: bool,
    hint: str,
    minimum: str | None = None,
    packages: tuple[str, ...] = (),
    problem: str = Msg("not found"),
) -> Check:
    return Check(name, ok=False, required=required, minimum=minimum, hint=hint, problem=problem, packages=packages)


def versioned(
    name: str, *, path: str, version: str | None, minimum: str | None, required: bool, hint_old: str, hint_broken: str
) -> Check:
    """A tool that was found: ok when its version answers and meets `minimum`."""
    if version is None:
        return Check(
            name,
            ok=False,
            required=required,
            minimum=minimum,
            path=path,
            hint=hint_broken,
            problem=Msg("{path} does not report a version", path=path),
        )
    if minimum and not at_least(version, minimum):
        return Check(
            name,
            ok=False,
            required=required,
            version=version,
            minimum=minimum,
            path=path,
            hint=hint_old,
            problem=Msg("{version} is older than the minimum {minimum}", version=version, minimum=minimum),
        )
    return Check(name, ok=True, required=required, version=version, minimum=minimum, path=path)
