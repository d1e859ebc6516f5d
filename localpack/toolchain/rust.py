"""Checks every platform needs: rustc, cargo, the Tauri CLI, and node/npm when the CLI comes from npm."""

from __future__ import annotations

from pathlib import Path

from localpack.core.messages import Msg
from localpack.paths import Paths
from localpack.toolchain import tauri_cli
from localpack.toolchain.checks import Check, Host, missing, tool_version, versioned
from localpack.toolchain.host import read_os_release, system_hint
from localpack.versions import RUST_MIN, TAURI_CLI

RUSTUP_SH = "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh"
RUSTUP_WINDOWS = "winget install --id Rustlang.Rustup"
NODE_MIN = "10"  # `engines.node` of @tauri-apps/cli 2.12.6's package.json: ">= 10"
WHY_RUST = f"Tauri 2.12 needs rustc {RUST_MIN} or newer, its rust-version"


def rustup_installer(host: Host) -> str:
    """The command that installs Rust through rustup (text for the user to run; never run here)."""
    return RUSTUP_WINDOWS if host.os == "windows" else RUSTUP_SH


def rust_checks(host: Host) -> list[Check]:
    return [_rust_tool(host, "rustc"), _rust_tool(host, "cargo")]


def _rust_tool(host: Host, name: str) -> Check:
    on_path = host.which(name)
    path = on_path or host.which(name, host.cargo_bin)
    if path is None:
        return missing(
            name,
            required=True,
            minimum=RUST_MIN,
            hint=f"install Rust with rustup: {rustup_installer(host)} ({WHY_RUST})",
        )
    rustup = host.which("rustup", host.cargo_bin)
    upgrade = (
        "rustup update stable"
        if rustup
        else f"your {name} is not managed by rustup; install rustup: {rustup_installer(host)}"
    )
    check = versioned(
        name,
        path=path,
        version=tool_version(host, path),
        minimum=RUST_MIN,
        required=True,
        hint_old=f"{upgrade} ({WHY_RUST})",
        hint_broken="rustup default stable" if rustup else f"reinstall Rust with rustup: {rustup_installer(host)}",
    )
    if check.ok and on_path is None:
        where = (
            "restart the terminal"
            if host.os == "windows"
            else 'run `. "$HOME/.cargo/env"` (or add ~/.cargo/bin to PATH)'
        )
        return Check(
            name,
            ok=False,
            required=True,
            version=check.version,
            minimum=RUST_MIN,
            path=path,
            hint=f"{Path(path).parent} is not on PATH: {where}",
            problem=Msg("installed but not on PATH"),
        )
    return check


def from_npm(cli: tauri_cli.TauriCli | None) -> bool:
    """Whether the Tauri CLI runs on node: the npm package (or none yet, since `localpack setup` uses npm)."""
    if cli is None or cli.source == "localpack setup":
        return True
    if cli.source == tauri_cli.WHEEL:  # it brings its own Node.js
        return False
    real = Path(cli.path).resolve()
    return "node_modules" in real.parts or real.suffix == ".js"


def tauri_check(paths: Paths) -> tuple[Check, tauri_cli.TauriCli | None]:
    setup = f"localpack setup (installs {tauri_cli.NPM_PACKAGE}@{TAURI_CLI} into localpack's cache)"
    cli = tauri_cli.locate(paths)
    if cli is None:
        return missing("tauri-cli", required=True, minimum=TAURI_CLI, hint=setup), None
    if cli.source == "LOCALPACK_TAURI":
        setup = f"point LOCALPACK_TAURI at Tauri CLI {TAURI_CLI}, or unset it and run `localpack setup`"
    version = cli.version()
    check = versioned(
        "tauri-cli", path=cli.path, version=version, minimum=TAURI_CLI, required=True, hint_old=setup, hint_broken=setup
    )
    if check.ok and version and not version.startswith("2."):
        check = Check(
            "tauri-cli",
            ok=False,
            required=True,
            version=version,
            minimum=TAURI_CLI,
            path=cli.path,
            hint=setup,
            problem=Msg("{version} is not Tauri 2 (localpack renders Tauri v2 projects)", version=version),
        )
    return check, cli


def node_checks(host: Host, required: bool) -> list[Check]:
    """node and npm; `required` when the Tauri CLI comes (or would come) from npm."""
    out: list[Check] = []
    for name, minimum in (("node", NODE_MIN), ("npm", None)):
        path = host.which(name)
        hint = node_hint(host)
        if path is None:
            out.append(missing(name, required=required, minimum=minimum, hint=hint))
            continue
        out.append(
            versioned(
                name,
                path=path,
                version=tool_version(host, path),
                minimum=minimum,
                required=required,
                hint_old=hint,
                hint_broken=hint,
            )
        )
    return out


def node_hint(host: Host) -> str:
    if host.os == "macos":
        return "brew install node (or the installer from https://nodejs.org)"
    if host.os == "windows":
        return "winget install OpenJS.NodeJS.LTS"
    pm = read_os_release(host.os_release).package_manager
    return system_hint("node", pm, "Node.js and npm")[0]
