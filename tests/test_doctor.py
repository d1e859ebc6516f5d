"""`localpack doctor` as a user runs it: on a fake machine (exact output and exit codes) and on
this machine with its real tools."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import no_traceback

from fakes.toolenv import make
from localpack.toolchain.host import read_os_release

KEYS = ["name", "ok", "required", "version", "minimum", "path", "hint"]


def test_doctor_json_on_a_complete_machine(run, tmp_path):
    env = make(tmp_path / "m")
    r = run("doctor", "--json", "--targets", "deb,rpm", env=env.env)
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert list(data) == ["ok", "checks"] and data["ok"] is True
    assert all(list(c) == KEYS for c in data["checks"])
    checks = {c["name"]: c for c in data["checks"]}
    assert checks["rustc"] == {
        "name": "rustc",
        "ok": True,
        "required": True,
        "version": "1.95.0",
        "minimum": "1.90",
        "path": str(env.bin / "rustc"),
        "hint": "",
    }
    assert checks["tauri-cli"]["version"] == "2.12.6" and checks["tauri-cli"]["path"] == str(env.tauri)
    assert checks["network"]["ok"] is False and checks["network"]["required"] is False  # optional: still exit 0
    assert no_traceback(r.err)


def test_doctor_table_names_what_is_missing_and_exits_4(run, tmp_path):
    env = make(tmp_path / "m", distro="fedora", without=("webkit2gtk-4.1",))
    env.tool("rustc", "rustc 1.85.0 (4d91de4e4 2025-02-17)")
    r = run("doctor", "--targets", "rpm", "--offline", env=env.env)
    assert r.code == 4
    assert r.out == ""  # human output goes to stderr
    assert re.search(r"✘ rustc\s+1\.85\.0\s+>= 1\.90", r.err)
    assert re.search(r"✘ webkit2gtk-4\.1\s", r.err)
    assert "fix: sudo dnf install webkit2gtk4.1-devel" in r.err
    assert re.search(r"✔ librsvg-2\.0\s+2\.54\.7", r.err)
    assert "network" not in r.err  # --offline: not checked
    assert "✘ vendored-crates" in r.err and "localpack prefetch" in r.err  # --offline: what to prefetch
    assert "3 required check(s) failed" in r.err


def test_doctor_json_when_something_is_missing(run, tmp_path):
    env = make(tmp_path / "m", distro="opensuse", without=("librsvg-2.0",))
    r = run("doctor", "--json", "--offline", "--targets", "deb", env=env.env)
    assert r.code == 4
    data = json.loads(r.out)
    assert data["ok"] is False
    rsvg = next(c for c in data["checks"] if c["name"] == "librsvg-2.0")
    assert rsvg == {
        "name": "librsvg-2.0",
        "ok": False,
        "required": True,
        "version": None,
        "minimum": None,
        "path": None,
        "hint": "sudo zypper install librsvg-devel",
    }


def test_doctor_rejects_unknown_targets(run):
    r = run("doctor", "--targets", "deb,appimg")
    assert r.code == 2
    assert "did you mean 'appimage'" in r.err and no_traceback(r.err)


def test_doctor_on_this_machine(run, tauri_cli):
    """The real tools: rustc, cargo, node and the Tauri CLI with their real versions; the WebKitGTK
    and librsvg dev packages named with this distribution's install line when they are missing."""
    for tool in ("rustc", "cargo", "node", "pkg-config"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed here")
    r = run("doctor", "--json", "--offline", "--targets", "deb,rpm", env={"LOCALPACK_TAURI": str(tauri_cli)})
    data = json.loads(r.out)
    checks = {c["name"]: c for c in data["checks"]}

    def real(*cmd: str) -> str:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        return re.search(r"\d+\.\d+\.\d+", out).group(0)

    assert checks["rustc"]["version"] == real("rustc", "--version")
    assert checks["cargo"]["version"] == real("cargo", "--version")
    assert checks["node"]["version"] == real("node", "--version")
    assert checks["tauri-cli"]["version"] == "2.12.6" and checks["tauri-cli"]["ok"]
    pm = read_os_release(Path(os.environ.get("LOCALPACK_OS_RELEASE", "/etc/os-release"))).package_manager
    for module, apt_package in (("webkit2gtk-4.1", "libwebkit2gtk-4.1-dev"), ("librsvg-2.0", "librsvg2-dev")):
        present = subprocess.run(["pkg-config", "--exists", module]).returncode == 0
        assert checks[module]["ok"] is present
        if not present and pm == "apt":
            assert checks[module]["hint"] == f"sudo apt install {apt_package}"
    assert data["ok"] is all(c["ok"] for c in data["checks"] if c["required"])
    assert r.code == (0 if data["ok"] else 4)
