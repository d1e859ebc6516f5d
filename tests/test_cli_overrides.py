"""The override flags of render/build/prefetch: each one sets its config key, and bad values are refused
with the key's rule, like the same value in localpack.toml."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from localpack.cli.options import OVERRIDES, PAKEPLUS, load_config, with_overrides
from localpack.config import model
from localpack.errors import ConfigError


def _probe() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @with_overrides
    def show(*, overrides: dict) -> None:
        typer.echo(json.dumps(load_config(None, overrides).to_dict()))

    return app


def invoke(*args: str) -> dict:
    result = CliRunner().invoke(_probe(), ["--url", "https://example.com", "--name", "ex", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_override_is_a_config_key_and_switches_come_in_pairs() -> None:
    for _param, flag, key, typ, _help in OVERRIDES:
        if key == PAKEPLUS:
            continue
        section, name = key.split(".")
        field = {f.name: f for f in dataclasses.fields(model.SECTIONS[section])}[name]
        assert str(typ.__name__) in str(field.type), key
        if typ is bool:
            assert flag == f"--{name.replace('_', '-')}/--no-{name.replace('_', '-')}", flag


def test_the_parity_flags_set_their_keys(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    cfg = invoke(
        "--no-title-from-page",
        "--new-window",
        "new",
        "--autostart",
        "--no-context-menu",
        "--inject-jquery",
        "--no-downloads",
        "--download-dir",
        "~/Saved",
        "--no-find-in-page",
        "--activation-shortcut",
        "CmdOrCtrl+Shift+K",
    )
    w, b = cfg["window"], cfg["behavior"]
    assert (w["title_from_page"], w["new_window"]) == (False, "new")
    assert (b["autostart"], b["context_menu"], b["inject_jquery"], b["downloads"], b["find_in_page"]) == (
        True,
        False,
        True,
        False,
        False,
    )
    assert b["download_dir"] == str(tmp_path / "Saved") and b["activation_shortcut"] == "CmdOrCtrl+Shift+K"
    defaults = invoke()
    assert (
        defaults["window"]["title_from_page"],
        defaults["behavior"]["downloads"],
        defaults["behavior"]["download_dir"],
    ) == (True, True, None)


def test_flags_override_the_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "localpack.toml").write_text(
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ncontext_menu = false\nautostart = true\n'
    )
    result = CliRunner().invoke(_probe(), ["--context-menu"])
    b = json.loads(result.output)["behavior"]
    assert (b["context_menu"], b["autostart"]) == (True, True)


def test_bad_override_values_exit_2_with_the_rule(run, tmp_path: Path) -> None:
    base = ("render", "--url", "https://example.com", "--name", "ex")
    r = run(*base, "--activation-shortcut", "Shift+A")
    assert r.code == 2 and "behavior.activation_shortcut needs Ctrl, Alt, Super/Cmd or CmdOrCtrl besides Shift" in r.err
    r = run(*base, "--new-window", "tab")
    assert r.code == 2 and "window.new_window must be one of 'same', 'new'" in r.err
    (tmp_path / "file.txt").write_text("x")
    r = run(*base, "--download-dir", "file.txt/sub")
    assert r.code == 2 and "behavior.download_dir must be a folder" in r.err
    assert "Traceback" not in r.err


def test_a_config_error_after_an_import_names_the_pakeplus_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOCALPACK_HOME", str(tmp_path / "home"))
    (tmp_path / "pp.json").write_text(
        json.dumps({"name": "Ex", "url": "https://e.com", "width": 300, "more": {"windows": {"minWidth": 400}}})
    )
    with pytest.raises(ConfigError) as e:
        load_config(None, {PAKEPLUS: Path("pp.json")})
    assert "window.min_width" in e.value.message and "(with the values of pp.json)" in e.value.message
