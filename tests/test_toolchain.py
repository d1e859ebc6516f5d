"""The toolchain checks against a fake machine (stand-in executables printing the real tools'
version strings, a fake pkg-config and os-release): what is found, what is missing, which fix
is named for which distribution, and what is required for which targets."""

from __future__ import annotations

import pytest

from fakes.toolenv import LIBRARIES, by_name, make
from localpack.errors import ToolMissing
from localpack.toolchain import preflight, run_checks, tool_versions
from localpack.toolchain.host import read_os_release
from localpack.toolchain.rust import RUSTUP_SH


def test_complete_machine_passes_and_reports_bare_versions(tmp_path, paths, monkeypatch):
    make(tmp_path / "m").apply(monkeypatch)
    checks = preflight(paths, ["deb", "rpm"], offline=True)
    versions = tool_versions(checks)
    assert versions["rustc"] == "1.95.0"
    assert versions["cargo"] == "1.95.0"
    assert versions["tauri-cli"] == "2.12.6"
    assert versions["node"] == "20.20.2"
    assert versions["webkit2gtk-4.1"] == "2.48.1"
    assert "disk" not in versions and "memory" not in versions
    names = [c.name for c in checks]
    assert "network" not in names  # offline: skipped quietly
    assert "patchelf" not in names  # deb/rpm do not need it


@pytest.mark.parametrize(
    ("distro", "line"),
    [
        ("debian", "sudo apt install libwebkit2gtk-4.1-dev librsvg2-dev"),
        ("ubuntu", "sudo apt install libwebkit2gtk-4.1-dev librsvg2-dev"),
        ("fedora", "sudo dnf install webkit2gtk4.1-devel librsvg2-devel"),
        ("arch", "sudo pacman -S --needed webkit2gtk-4.1 librsvg"),
        ("opensuse", "sudo zypper install webkit2gtk3-devel librsvg-devel"),
    ],
)
def test_missing_libraries_are_named_with_the_distros_install_line(tmp_path, paths, monkeypatch, distro, line):
    env = make(tmp_path / "m", distro=distro, libraries={"gtk+-3.0": "3.24.38"})
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True)
    assert err.value.message == "missing: webkit2gtk-4.1, librsvg-2.0"
    assert err.value.hint == line
    checks = by_name(run_checks(paths, ["deb"], offline=True, host=env.host()))
    single = line.rsplit(" ", 1)[0]  # the install line for webkit alone
    assert checks["webkit2gtk-4.1"].hint == single
    assert not checks["webkit2gtk-4.1"].ok and checks["webkit2gtk-4.1"].required
    assert checks["gtk+-3.0"].ok and checks["gtk+-3.0"].version == "3.24.38"


def test_unknown_distribution_gets_a_description_instead_of_a_command(tmp_path, paths):
    env = make(tmp_path / "m", distro="unknown", without=("librsvg-2.0",))
    check = by_name(run_checks(paths, ["deb"], offline=True, host=env.host()))["librsvg-2.0"]
    assert not check.ok
    assert check.hint == "install the development files of librsvg-2.0 with your distribution's package manager"


def test_too_old_rustc_fails_with_both_versions(tmp_path, paths, monkeypatch):
    env = make(tmp_path / "m")
    env.tool("rustc", "rustc 1.80.1 (3f5fd8dd4 2024-08-06)")
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True)
    assert "rustc 1.80.1 (minimum 1.90)" in err.value.message
    assert "rustup update stable" in err.value.hint
    rustc = by_name(run_checks(paths, ["deb"], offline=True, host=env.host()))["rustc"]
    assert (rustc.ok, rustc.version, rustc.minimum) == (False, "1.80.1", "1.90")


def test_old_distro_rustc_without_rustup_points_to_the_rustup_installer(tmp_path, paths):
    env = make(tmp_path / "m", without=("rustup",))
    env.tool("rustc", "rustc 1.63.0")
    rustc = by_name(run_checks(paths, ["deb"], offline=True, host=env.host()))["rustc"]
    assert not rustc.ok
    assert RUSTUP_SH in rustc.hint and "not managed by rustup" in rustc.hint


def test_missing_rust_hint_is_the_rustup_installer(tmp_path, paths):
    env = make(tmp_path / "m", without=("rustc", "cargo", "rustup"))
    checks = by_name(run_checks(paths, ["deb"], offline=True, host=env.host()))
    for name in ("rustc", "cargo"):
        assert not checks[name].ok and checks[name].version is None
        assert checks[name].hint.startswith(f"install Rust with rustup: {RUSTUP_SH}")


def test_rust_installed_by_rustup_but_not_on_path(tmp_path, paths, monkeypatch):
    env = make(tmp_path / "m", without=("rustc", "rustup"))
    env.tool("rustc", "rustc 1.95.0 (59807616e 2026-04-14)", folder=env.home / ".cargo" / "bin")
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True)
    assert err.value.message == "not usable: rustc (installed but not on PATH)"
    rustc = by_name(run_checks(paths, ["deb"], offline=True, host=env.host()))["rustc"]
    assert not rustc.ok and rustc.version == "1.95.0"
    assert "is not on PATH" in rustc.hint and ".cargo/env" in rustc.hint


def test_rustup_without_a_default_toolchain(tmp_path, paths):
    env = make(tmp_path / "m")
    env.tool("rustc", "error: rustup could not choose a version of rustc to run", code=1)
    rustc = by_name(run_checks(paths, ["deb"], offline=True, host=env.host()))["rustc"]
    assert not rustc.ok and rustc.hint == "rustup default stable"


def test_optional_checks_never_fail_the_run(tmp_path, paths, monkeypatch):
    env = make(tmp_path / "m", without=("patchelf",))
    env.apply(monkeypatch)
    checks = by_name(preflight(paths, ["deb", "rpm"], offline=False))  # does not raise
    assert "network" not in checks  # a build does not wait on the probe; doctor shows it
    network = by_name(run_checks(paths, ["deb", "rpm"], offline=False))["network"]
    assert not network.ok and not network.required
    assert "prefetch" in network.hint
    appindicator = checks["ayatana-appindicator3-0.1"]
    assert not appindicator.ok and not appindicator.required
    assert appindicator.hint == "sudo apt install libayatana-appindicator3-dev"
    assert not checks["disk"].required and not checks["memory"].required


def test_tray_requires_an_appindicator_library(tmp_path, paths, monkeypatch):
    env = make(tmp_path / "m")
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True, tray=True)
    assert "ayatana-appindicator3-0.1" in err.value.message
    assert err.value.hint == "sudo apt install libayatana-appindicator3-dev"
    env.pkg_config({**LIBRARIES, "appindicator3-0.1": "12.10.0"})  # the older library is accepted too
    assert by_name(preflight(paths, ["deb"], offline=True, tray=True))["ayatana-appindicator3-0.1"].ok


def test_appimage_needs_patchelf_and_only_suggests_fuse(tmp_path, paths, monkeypatch):
    env = make(tmp_path / "m", distro="fedora", without=("patchelf",))
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["appimage"], offline=True)
    assert err.value.message == "missing: patchelf"
    assert err.value.hint == "sudo dnf install patchelf"
    env.tool("patchelf", "patchelf 0.14.3")
    preflight(paths, ["appimage"], offline=True)  # passes: FUSE is optional
    fuse = by_name(run_checks(paths, ["appimage"], offline=True, host=env.host()))["fuse"]
    assert not fuse.ok and not fuse.required  # this fake machine has no libfuse.so.2
    assert fuse.hint == "sudo dnf install fuse-libs (or build with APPIMAGE_EXTRACT_AND_RUN=1 set)"
    lib = tmp_path / "m" / "sysroot" / "usr" / "lib64" / "libfuse.so.2"
    lib.parent.mkdir(parents=True)
    lib.write_bytes(b"")
    assert by_name(run_checks(paths, ["appimage"], offline=True, host=env.host()))["fuse"].path == str(lib)


def test_missing_pkg_config_is_named_and_libraries_still_get_their_packages(tmp_path, paths, monkeypatch):
    make(tmp_path / "m", distro="arch", without=("pkg-config",)).apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True)
    assert err.value.message == "missing: pkg-config, webkit2gtk-4.1, librsvg-2.0, gtk+-3.0"
    assert err.value.hint == "sudo pacman -S --needed pkgconf webkit2gtk-4.1 librsvg gtk3"


def test_node_is_required_only_when_the_tauri_cli_comes_from_npm(tmp_path, paths, monkeypatch):
    env = make(tmp_path / "m", without=("node", "npm"))
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True)
    assert err.value.message == "missing: node, npm"
    assert err.value.hint == "sudo apt install nodejs npm"
    env.tauri_cli(npm=False)  # e.g. cargo-tauri: a native binary
    env.apply(monkeypatch)
    node = by_name(preflight(paths, ["deb"], offline=True))["node"]
    assert not node.ok and not node.required


def test_missing_or_old_tauri_cli_points_to_setup(tmp_path, paths, monkeypatch):
    env = make(tmp_path / "m", tauri=False)
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True)
    assert err.value.message == "missing: tauri-cli"
    assert "localpack setup" in err.value.hint and "@tauri-apps/cli@2.12.6" in err.value.hint
    env.tauri_cli("2.9.0")
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing) as err:
        preflight(paths, ["deb"], offline=True)
    assert "tauri-cli 2.9.0 (minimum 2.12.6)" in err.value.message
    assert "LOCALPACK_TAURI" in err.value.hint


def test_os_release_parsing(tmp_path):
    path = tmp_path / "os-release"
    path.write_text(
        '# comment\nNAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\nPRETTY_NAME=\'Linux Mint 22\'\n'
    )
    distro = read_os_release(path)
    assert (distro.id, distro.id_like, distro.pretty) == ("linuxmint", ("ubuntu", "debian"), "Linux Mint 22")
    assert distro.package_manager == "apt"
    path.write_text('ID="rocky"\nID_LIKE="rhel centos fedora"\n')
    assert read_os_release(path).package_manager == "dnf"
    assert read_os_release(tmp_path / "absent").package_manager is None
