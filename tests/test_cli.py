"""`localpack init`, `render` and the CLI's error contract, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, no_traceback, write_config


def test_help_and_version(run) -> None:
    r = run("--help")
    assert r.code == 0 and "init" in r.out and "build" in r.out and "render" in r.out
    assert run("--version").out.strip().startswith("localpack ")


def test_init_then_render_from_any_folder(run, tmp_path: Path, home: Path) -> None:
    proj = tmp_path / "My Project"
    proj.mkdir()
    r = run("init", "--url", "https://www.github.com/features", cwd=proj)
    assert r.code == 0, r.err
    text = (proj / "localpack.toml").read_text()
    assert 'name = "github"' in text and 'url = "https://www.github.com/features"' in text
    r = run("render", cwd=proj)
    assert r.code == 0, r.err
    ws = Path(r.out.strip())
    assert ws == home / "cache" / "workspaces" / "github"
    assert (
        json.loads((ws / "src-tauri" / "tauri.conf.json").read_text())["app"]["windows"][0]["url"]
        == "https://www.github.com/features"
    )


def test_init_without_arguments_writes_a_working_example(run, tmp_path: Path) -> None:
    r = run("init")
    assert r.code == 0 and "placeholder" in r.err
    assert run("render").code == 0


def test_init_for_a_local_folder_writes_a_relative_dist(run, tmp_path: Path) -> None:
    web = tmp_path / "site" / "dist"
    web.mkdir(parents=True)
    (web / "index.html").write_text("<p>hi</p>")
    r = run("init", "--dist", str(web), "--title", "Site 站点")
    assert r.code == 0, r.err
    text = (tmp_path / "localpack.toml").read_text()
    assert 'dist = "./site/dist"' in text and 'name = "site"' in text and 'title = "Site 站点"' in text
    r = run("render", "--json")
    assert r.code == 0 and "src-tauri/localpack/web/index.html" in json.loads(r.out)["written"]


def test_init_refuses_to_overwrite(run, tmp_path: Path) -> None:
    write_config(tmp_path, "# mine\n")
    r = run("init", "--url", "https://example.com")
    assert r.code == 2 and "already exists" in r.err and "--force" in r.err
    assert (tmp_path / "localpack.toml").read_text() == "# mine\n"
    assert run("init", "--url", "https://example.com", "--force").code == 0
    assert "example.com" in (tmp_path / "localpack.toml").read_text()


def test_init_validates_before_writing(run, tmp_path: Path) -> None:
    r = run("init", "--url", "https://example.com", "--name", "Bad Name")
    assert r.code == 2 and "app.name" in r.err and "hint:" in r.err
    assert list(tmp_path.iterdir()) == [tmp_path / "lphome"] or not (tmp_path / "localpack.toml").exists()
    assert not any(p.name.endswith(".toml") for p in tmp_path.iterdir())


BAD_INPUTS = [
    (["render"], "no localpack.toml here"),
    (["render", "missing.toml"], "no such config file"),
    (["render", "--url", "https://example.com", "--name", "UPPER"], "app.name"),
    (["render", "--url", "notaurl", "--name", "a"], "app.url"),
    (["render", "--dist", "nowhere", "--name", "a"], "app.dist"),
    (["render", "--url", "https://e.com", "--name", "a", "--width", "-5"], "window.width"),
    (["render", "--url", "https://e.com", "--name", "a", "--app-version", "v1"], "app.version"),
    (["render", "--url", "https://e.com", "--name", "a", "--identifier", "nodots"], "app.identifier"),
    (["render", "--url", "https://e.com", "--name", "a", "--icon", "nope.png"], "app.icon"),
    (["render", "--width", "wide"], "--width"),
    (["render", "--no-such-flag"], "no-such-flag"),
]


@pytest.mark.parametrize("args,needle", BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_exits_2_with_one_line_and_a_hint(run, tmp_path: Path, home: Path, args, needle) -> None:
    r = run(*args)
    assert r.code == 2, r.err
    assert needle in r.err and no_traceback(r.err)
    assert not home.exists() or not any((home / "cache").rglob("*.json"))


def test_bad_config_file_names_the_file_and_writes_nothing(run, tmp_path: Path, home: Path) -> None:
    write_config(tmp_path, '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nwidht = 3\n')
    r = run("render", "--json")
    assert r.code == 2
    err = json.loads(r.out)["error"]
    assert "localpack.toml: window.widht is not a known key (did you mean 'width'?)" in err["message"]
    assert err["hint"] and not (home / "cache").exists()
    human = run("render")
    lines = [line for line in human.err.splitlines() if line]
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: ") and len(lines) == 2


def test_render_out_refuses_a_foreign_folder(run, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    r = run("render", "--url", "https://e.com", "--name", "a", "--out", str(out))
    assert r.code == 2 and "localpack did not make it" in r.err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_wheel_install_finds_its_templates(tmp_path: Path) -> None:
    """`pip install .` (not editable) must ship the templates inside the package."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("localpack-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "localpack/templates/project/src-tauri/tauri.conf.json.j2" in names
    assert "localpack/templates/localpack.toml.j2" in names
    assert "localpack/config/localpack.schema.json" in names  # the schema `init` points editors at
    assert {"localpack/runtime/Cargo.toml", "localpack/runtime/Cargo.lock", "localpack/runtime/src/main.rs"} <= set(
        names
    )
    assert not [n for n in names if n.startswith("localpack/runtime/target/")]
    for page_file in ("templates/new.html", "static/app.js", "static/style.css", "locales/zh-CN.json"):
        assert f"localpack/ui/{page_file}" in names, page_file  # `localpack ui` ships its pages
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "LOCALPACK_HOME": str(tmp_path / "h")}
    r = subprocess.run(
        [sys.executable, "-c", "import localpack.core.templates as r; print(r.templates_dir())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert r.stdout.strip().startswith(str(target))
    r = subprocess.run(
        [sys.executable, "-m", "localpack", "render", "--url", "https://e.com", "--name", "a"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert (Path(r.stdout.strip()) / "src-tauri" / "src" / "main.rs").is_file()  # the runtime crate came along
    r = subprocess.run(
        [sys.executable, "-m", "localpack", "init", "--url", "https://e.com"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    first = (elsewhere / "localpack.toml").read_text().splitlines()[0]
    assert r.returncode == 0 and first.startswith("#:schema file://" + str(target))
    assert Path(first.split("file://", 1)[1]).is_file()
