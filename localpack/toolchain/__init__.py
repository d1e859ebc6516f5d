"""Finding and verifying the external tools a build needs: locate, version, minimum, install hint.
Imports core/ and the top-level modules only; what an offline build needs prefetched is offline/'s to check.

`run_checks` is what `localpack doctor` prints; `preflight` is what `localpack build` runs first:
the same checks, raising `ToolMissing` (exit 4) with the fixes when a required one fails.
Which checks are required depends on the targets (AppImage needs patchelf, deb does not), on a
tray (appindicator) and on where the Tauri CLI comes from (node/npm only for the npm package).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from localpack.errors import ToolMissing
from localpack.paths import Paths
from localpack.toolchain import linux, macos, memo, rust, windows
from localpack.toolchain import resources as probes
from localpack.toolchain.checks import Check, Host, at_least
from localpack.toolchain.host import install_line, read_os_release

__all__ = ["RESOURCES", "Check", "Host", "preflight", "run_checks", "tool_versions", "optional_warnings"]

RESOURCES = ("disk", "memory", "network")


def run_checks(
    paths: Paths,
    targets: list[str],
    *,
    offline: bool = False,
    tray: bool = False,
    host: Host | None = None,
    network: bool = True,
    resources: bool = True,
    compile: bool = True,
) -> list[Check]:
    """Every check for building `targets` on this host, in a stable order; independent probes run concurrently.

    `network=False` leaves out the (optional, up to 1.5 s) reachability probe; `resources=False` leaves out
    disk and memory. `compile=False` (packaging around a compiled runtime) makes Rust, the C toolchain and
    the -dev libraries optional; the bundler's own needs stay required. What an offline build needs
    prefetched is `localpack.offline.doctor_checks`.
    """
    host = host or Host.current()
    jobs: list[Callable[[], list[Check]]] = [
        lambda: rust.rust_checks(host),
        lambda: rust.node_checks(host, required=False),
    ]
    if host.os == "linux":
        jobs.append(lambda: linux.linux_checks(host, targets, tray=tray))
    elif host.os == "macos":
        jobs.append(lambda: macos.macos_checks(host))
    elif host.os == "windows":
        jobs.append(lambda: windows.windows_checks(host, targets, offline=offline))
    if resources:
        jobs += [lambda: [probes.disk_check(paths.cache)], lambda: [probes.memory_check()]]
    if network and not offline:
        jobs.append(lambda: [probes.network_check(host)])
    with ThreadPoolExecutor(max_workers=len(jobs) + 1) as pool:
        tauri_future = pool.submit(rust.tauri_check, paths)
        futures = [pool.submit(job) for job in jobs]
        results = [f.result() for f in futures]
        tauri, cli = tauri_future.result()
    rust_tools, node_tools, *rest = results
    # node and npm matter only when the Tauri CLI runs on node (or must first be installed with npm)
    needs_node = rust.from_npm(cli)
    node_tools = [dataclasses.replace(c, required=needs_node) for c in node_tools]
    checks = [*rust_tools, tauri, *node_tools, *(c for group in rest for c in group)]
    if not compile:
        # With a tray the bundler asks pkg-config where appindicator is (it names the deb's dependency).
        bundler_needs = {"pkg-config", linux.TRAY} if tray else set()
        compile_only = {c.name for c in rust_tools} | {"cc", "pkg-config", *linux.LIBRARIES, linux.TRAY}
        checks = [
            dataclasses.replace(c, required=False) if c.name in compile_only - bundler_needs else c for c in checks
        ]
    return checks


def preflight(
    paths: Paths, targets: list[str], *, offline: bool = False, tray: bool = False, compile: bool = True
) -> list[Check]:
    """Run the checks for `targets`; raise `ToolMissing` naming every required failure and its fix.

    The network probe is left out: it can never fail a build, and the build itself says what it could not fetch.
    The tool checks of a passed preflight are remembered while nothing they depend on changes (`memo.py`).
    """
    host = Host.current()
    key = {"targets": sorted(targets), "offline": offline, "tray": tray, "compile": compile}
    tools = memo.remembered(
        paths,
        host,
        key,
        lambda: run_checks(
            paths, targets, offline=offline, tray=tray, host=host, network=False, resources=False, compile=compile
        ),
    )
    checks = [*tools, probes.disk_check(paths.cache), probes.memory_check()]
    failed = [c for c in checks if c.required and not c.ok]
    if failed:
        raise ToolMissing(missing_message(failed), fix_hint(failed, host))
    return checks


def missing_message(failed: list[Check]) -> str:
    """`missing: webkit2gtk-4.1, librsvg-2.0; too old: rustc 1.80.0 (minimum 1.90)`."""
    absent = [c.name for c in failed if c.version is None]
    too_old = [c for c in failed if c.version and c.minimum and not at_least(c.version, c.minimum)]
    old = [f"{c.name} {c.version} (minimum {c.minimum})" for c in too_old]
    other = [f"{c.name} ({c.problem})" for c in failed if c.version is not None and c not in too_old]
    parts = [f"missing: {', '.join(absent)}"] if absent else []
    parts += [f"too old: {', '.join(old)}"] if old else []
    parts += [f"not usable: {', '.join(other)}"] if other else []
    return "; ".join(parts)


def fix_hint(failed: list[Check], host: Host) -> str:
    """One install line for all missing system packages, then the other fixes, each once."""
    pm = read_os_release(host.os_release).package_manager if host.os == "linux" else None
    packages = [p for c in failed for p in c.packages]
    hints = [install_line(pm, tuple(dict.fromkeys(packages)), "")] if packages and pm else []
    hints += [c.hint for c in failed if c.hint and not (c.packages and pm)]
    return "; ".join(dict.fromkeys(h for h in hints if h))


def tool_versions(checks: list[Check]) -> dict[str, str]:
    """name → version of the tools found (for the build record); resources left out."""
    return {c.name: c.version for c in checks if c.version and c.name not in RESOURCES}


def optional_warnings(checks: list[Check]) -> list[str]:
    """One line per failed optional check, for a caller that wants to warn."""
    return [
        f"{c.name}: {c.problem or 'not found'}" + (f" ({c.hint})" if c.hint else "")
        for c in checks
        if not c.required and not c.ok
    ]
