"""`offline.doctor.run_doctor`, the one doctor run the CLI and the ui's page share: targets, checks, offline
rows and the one-line fix, as data, on a fake machine."""

from __future__ import annotations

import pytest

from fakes.toolenv import by_name, make
from localpack.errors import ConfigError
from localpack.offline.doctor import run_doctor


def test_a_complete_machine_passes(tmp_path, paths, monkeypatch) -> None:
    env = make(tmp_path / "m")
    env.apply(monkeypatch)
    result = run_doctor(paths, "deb,rpm", offline=False, warn=pytest.fail, host=env.host())
    assert result.chosen == ["deb", "rpm"]
    assert result.ok and result.failed == [] and result.fix == ""
    assert "network" in by_name(result.checks)  # online: the optional probe is a row
    assert "vendored-crates" not in by_name(result.checks)
    assert result.to_json() == {"ok": True, "checks": [c.to_json() for c in result.checks]}


def test_offline_adds_what_to_prefetch_and_names_one_fix(tmp_path, paths, monkeypatch) -> None:
    env = make(tmp_path / "m", distro="fedora", without=("webkit2gtk-4.1",))
    env.apply(monkeypatch)
    result = run_doctor(paths, "rpm", offline=True, warn=pytest.fail, host=env.host())
    rows = by_name(result.checks)
    assert "network" not in rows
    assert not rows["vendored-crates"].ok and rows["vendored-crates"].required
    assert {c.name for c in result.failed} == {"webkit2gtk-4.1", "vendored-crates"}
    assert not result.ok and result.to_json()["ok"] is False
    assert "sudo dnf install webkit2gtk4.1-devel" in result.fix and "localpack prefetch" in result.fix


def test_no_targets_means_this_platforms_and_unknown_ones_are_refused(tmp_path, paths, monkeypatch) -> None:
    env = make(tmp_path / "m")
    env.apply(monkeypatch)
    heard: list[str] = []
    assert run_doctor(paths, "", offline=True, warn=heard.append, host=env.host()).chosen
    with pytest.raises(ConfigError, match="appimg"):
        run_doctor(paths, "deb,appimg", offline=False, warn=heard.append, host=env.host())
