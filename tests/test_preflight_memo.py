"""A passed preflight is remembered; a change to any tool, or a failure, means the checks run again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fakes.toolenv import LIBRARIES, _script, make
from localpack.errors import ToolMissing
from localpack.toolchain import preflight


def _counting_rustc(env, calls: Path, version: str = "1.95.0") -> None:
    _script(env.bin / "rustc", f"echo run >> '{calls}'\necho 'rustc {version} (59807616e 2026-04-14)'\n")


def test_a_warm_preflight_runs_no_probe_until_a_tool_changes(tmp_path, paths, monkeypatch) -> None:
    env = make(tmp_path / "m")
    env.apply(monkeypatch)
    calls = tmp_path / "rustc-calls"
    _counting_rustc(env, calls)
    preflight(paths, ["deb"])
    preflight(paths, ["deb"])
    assert calls.read_text().count("run") == 1  # the second build did not spawn rustc again

    preflight(paths, ["deb", "rpm"])  # other targets: other checks
    assert calls.read_text().count("run") == 2

    _counting_rustc(env, calls, version="1.80.0")  # `rustup update` (here: a downgrade) changes the binary
    os.utime(env.bin / "rustc", ns=(1, 1))
    with pytest.raises(ToolMissing, match=r"rustc 1\.80\.0 \(minimum 1\.90\)"):
        preflight(paths, ["deb"])


def test_a_failed_preflight_is_never_remembered(tmp_path, paths, monkeypatch) -> None:
    env = make(tmp_path / "m", without=("webkit2gtk-4.1",))
    env.apply(monkeypatch)
    with pytest.raises(ToolMissing, match="webkit2gtk-4.1"):
        preflight(paths, ["deb"])
    assert not (paths.cache / "preflight.json").exists()
    env.pkg_config(LIBRARIES)  # the user ran the apt line
    preflight(paths, ["deb"])
    assert (paths.cache / "preflight.json").exists()
