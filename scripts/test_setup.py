"""What `bash scripts/test` sets up on the machine before pytest (the virtualenv and the npm tools are the shell
script's): idempotent, and quick when everything is there.

- The system packages a build needs (what `localpack setup --system` installs) and the desktop and browser tools
  the real tier and the browser tests use (`tests/desktop.py`, GTK 3 for the system Python, chromium; debootstrap
  for the clean-machine test, MinGW for the exe-resources test), through localpack's own installer
  (`localpack/toolchain/system.py`): the package manager from /etc/os-release, as root or through sudo, each
  command printed before it runs.
- The Rust targets the cross-OS checks compile for (`tests/rustcheck.py`), with rustup.

Where that is impossible (no root and no sudo, another OS, no rustup) it says what is missing in one line and goes
on: the tests that need it are skipped then, and fail under CI=true.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests/ is not installed: its lists of tools and targets are read from the checkout

from localpack.core import proc  # noqa: E402
from localpack.core import targets as target_sets  # noqa: E402
from localpack.errors import ToolMissing  # noqa: E402
from localpack.paths import Paths  # noqa: E402
from localpack.toolchain import run_checks, system  # noqa: E402
from localpack.toolchain.checks import Check, Host, missing  # noqa: E402
from localpack.toolchain.host import read_os_release  # noqa: E402
from tests import desktop, rustcheck  # noqa: E402

LOGS = REPO / ".tools" / "logs"


def say(text: str) -> None:
    print(f"scripts/test: {text}", file=sys.stderr, flush=True)


def test_tool_checks(host: Host, gtk_python: str = desktop.GTK_PYTHON) -> list[Check]:
    """The real tier's desktop tools, the GStreamer element of its microphone, GTK 3 for the system
    Python (`gtk_python`), the browser tests' chromium, debootstrap (the clean-machine test's Debian root) and
    MinGW (a Windows exe for the exe-resources test), each a check that Debian's packages fix."""
    if host.os != "linux":
        return []
    apt = read_os_release(host.os_release).package_manager == "apt"
    wanted = {tool: packages for tool, packages in desktop.APT_PACKAGES.items()}
    wanted["chromium"] = "chromium"  # the browser tests drive /usr/bin/chromium (tests/ui_server.py)
    wanted["debootstrap"] = "debootstrap"  # tests/test_real_fresh.py makes a clean Debian root with it
    # tests/test_exe_resources.py builds a Windows exe to write an icon and version info into (windres comes along)
    wanted["x86_64-w64-mingw32-gcc"] = "gcc-mingw-w64-x86-64-win32"
    lacking = {tool: packages for tool, packages in wanted.items() if host.which(tool) is None}
    for element in desktop.gst_elements_missing(host.which("gst-inspect-1.0")):
        lacking[element] = desktop.GST_ELEMENTS[element]
    if desktop.gtk_python_missing(gtk_python):
        lacking["python3-gi"] = desktop.GTK_PYTHON_PACKAGES
    return [
        missing(tool, required=False, hint="", packages=tuple(packages.split()) if apt else ())
        for tool, packages in lacking.items()
    ]


def install_system_packages(host: Host) -> None:
    paths = Paths.from_env()
    checks = run_checks(paths, list(target_sets.BY_OS.get(host.os, ())), host=host, network=False, resources=False)
    tools = test_tool_checks(host)
    unpackaged = [c.name for c in tools if not c.packages]
    if unpackaged:
        say(f"the real tier's tools are installed on Debian and Ubuntu only; missing here: {', '.join(unpackaged)}")
    try:
        plan = system.plan([*checks, *tools], host)
    except ToolMissing as e:
        wanted = sorted({p for c in [*checks, *tools] if not c.ok for p in c.packages})
        say(f"cannot install {' '.join(wanted)}: {e.message} ({e.hint})")
        return
    if plan.commands:
        say(f"installing {len(plan.packages)} system package(s): {' '.join(plan.packages)}")
        system.install(plan, LOGS, host=host, say=say)


def add_rust_targets(host: Host) -> None:
    rustup = host.which("rustup", host.cargo_bin)
    if rustup is None:
        say("no rustup: the Rust checks for other systems' targets will be skipped (failed under CI=true)")
        return
    listed = proc.run([rustup, "target", "list", "--installed"], timeout=60)
    lacking = [t for t in rustcheck.check_targets() if t not in listed.lines]
    if lacking:
        command = [rustup, "target", "add", *lacking]
        say("running: " + " ".join(command))
        done = proc.run(command, timeout=1800, on_line=lambda line: say("  " + line))
        if not done.ok:
            say(f"`rustup target add` failed (exit {done.returncode}): those targets' checks will fail")


def main() -> int:
    host = Host.current()
    try:
        install_system_packages(host)
    except ToolMissing as e:  # a package manager command failed: the tests that need the packages say so
        say(f"{e.message} ({e.hint})")
    add_rust_targets(host)
    return 0


if __name__ == "__main__":
    sys.exit(main())
