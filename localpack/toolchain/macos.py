"""macOS: the Xcode command-line tools (compiler, linker, SDK) and `iconutil` (icns icons)."""

from __future__ import annotations

from localpack.core.messages import Msg
from localpack.toolchain.checks import Check, Host, missing

XCODE_HINT = "xcode-select --install"


def macos_checks(host: Host) -> list[Check]:
    return [_xcode(host), _iconutil(host)]


def _xcode(host: Host) -> Check:
    """`xcode-select -p` prints the active developer directory and fails when none is installed."""
    exe = host.which("xcode-select")
    if exe is None:
        return missing("xcode-select", required=True, hint=XCODE_HINT)
    done = host.run([exe, "-p"])
    folder = done.lines[0].strip() if done is not None and done.ok and done.lines else ""
    if not folder:
        return missing(
            "xcode-select", required=True, hint=XCODE_HINT, problem=Msg("no Xcode command-line tools are installed")
        )
    return Check("xcode-select", ok=True, required=True, path=folder)


def _iconutil(host: Host) -> Check:
    exe = host.which("iconutil")
    if exe is None:
        return missing(
            "iconutil", required=False, hint="iconutil ships with macOS in /usr/bin: make sure /usr/bin is on PATH"
        )
    return Check("iconutil", ok=True, required=False, path=exe)
