"""What `bash scripts/test` installs (`scripts/test_setup.py`): the real tier's desktop tools, its sound server and
the GStreamer element its microphone is read with, chromium, debootstrap and MinGW as Debian's packages, through
localpack's own installer, and one line, not a failure, where it cannot install them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from localpack.toolchain import system
from localpack.toolchain.checks import Host
from tests.conftest import REPO


def load_script():
    spec = importlib.util.spec_from_file_location("test_setup_script", REPO / "scripts" / "test_setup.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def host(tmp_path: Path, distro: str, path: str = "") -> Host:
    release = tmp_path / "os-release"
    release.write_text(f"ID={distro}\n", encoding="utf-8")
    return Host(os="linux", env={"PATH": path, "HOME": str(tmp_path)}, os_release=release)


def test_on_debian_every_missing_tool_is_a_package(tmp_path: Path) -> None:
    no_gtk = str(tmp_path / "no-python3")  # a system Python that cannot import GTK
    checks = load_script().test_tool_checks(host(tmp_path, "debian", str(tmp_path / "empty")), gtk_python=no_gtk)
    packages = {p for c in checks for p in c.packages}
    assert {
        "xvfb",
        "openbox",
        "trayer",
        "dbus",
        "dbus-x11",
        "xdotool",
        "x11-utils",
        "wmctrl",
        "imagemagick",
        "chromium",
        "debootstrap",
        "gcc-mingw-w64-x86-64-win32",
        "python3-gi",
        "gir1.2-gtk-3.0",
        "pulseaudio",
        "pulseaudio-utils",
        "gstreamer1.0-tools",
        "gstreamer1.0-plugins-good",
        "gstreamer1.0-pipewire",
        "gstreamer1.0-plugins-base",
        "pipewire",
        "wireplumber",
        "pipewire-bin",
    } == packages


def test_a_tool_that_is_there_is_not_installed(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "wmctrl").write_text("#!/bin/sh\n")
    (bin_dir / "wmctrl").chmod(0o755)
    checks = load_script().test_tool_checks(host(tmp_path, "debian", str(bin_dir)))
    assert "wmctrl" not in {c.name for c in checks} and "xdotool" in {c.name for c in checks}


def test_as_a_user_without_sudo_it_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_script()
    monkeypatch.setattr(system, "_euid", lambda: 1000)
    monkeypatch.setenv("LOCALPACK_HOME", str(tmp_path / "home"))
    script.install_system_packages(host(tmp_path, "debian", str(tmp_path / "empty")))
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("scripts/test: cannot install ") and "sudo was not found" in line and "xvfb" in line


@pytest.mark.skipif(sys.platform != "linux", reason="the plan is Linux's")
def test_with_sudo_the_desktop_packages_join_the_build_packages_in_one_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sudo").write_text("#!/bin/sh\n")
    (bin_dir / "sudo").chmod(0o755)
    monkeypatch.setattr(system, "_euid", lambda: 1000)
    h = host(tmp_path, "ubuntu", str(bin_dir))
    plan = system.plan(load_script().test_tool_checks(h), h)
    assert plan.commands[0] == (str(bin_dir / "sudo"), "apt-get", "update")
    assert plan.commands[1][:5] == (str(bin_dir / "sudo"), "apt-get", "install", "-y", "--no-install-recommends")


def test_elsewhere_than_apt_nothing_is_guessed(tmp_path: Path) -> None:
    checks = load_script().test_tool_checks(host(tmp_path, "fedora", str(tmp_path / "empty")))
    assert checks and all(c.packages == () for c in checks)
