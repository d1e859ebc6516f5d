"""`--out` (build), `--out` (render, icon): what localpack may write into, checked before anything runs, and
builds of different apps into one `--out` at the same time keeping every checksum."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from localpack.errors import ConfigError
from tests.conftest import CARGO_STANDIN, no_traceback
from tests.test_build import BUILD


@pytest.fixture
def tauri_env(tauri_cli: Path) -> dict[str, str]:
    return {"LOCALPACK_TAURI": str(tauri_cli)}


def test_parallel_builds_into_one_out_keep_every_checksum(home: Path, tmp_path: Path, tauri_env) -> None:
    apps = [f"par-{i}" for i in range(6)]
    # All six start together into one new --out (each checks it at the start); the first compiles the runtime
    # while the others wait for it on the compile lock, then all six bundle and collect at the same moment.
    env = {**os.environ, **tauri_env, "LOCALPACK_HOME": str(home)}
    logs = {app: (tmp_path / f"{app}.err").open("w") for app in apps}  # files: a full pipe would stall a build
    procs = {
        app: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "localpack",
                *BUILD,
                "--url",
                f"https://{app}.example",
                "--name",
                app,
                "--out",
                "shared",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=logs[app],
        )
        for app in apps
    }
    codes = {app: p.wait(timeout=300) for app, p in procs.items()}
    for log in logs.values():
        log.close()
    failed = {app: (code, (tmp_path / f"{app}.err").read_text()) for app, code in codes.items() if code}
    assert not failed, failed
    out = tmp_path / "shared"
    installers = sorted(p.name for p in out.iterdir() if not p.name.startswith(".") and p.name != "SHA256SUMS")
    assert len(installers) == 12
    sums = [line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()]
    assert sorted(sums) == installers
    owners = json.loads((out / ".localpack-artifacts.json").read_text())["files"]
    assert sorted(owners) == installers and set(owners.values()) == set(apps)
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    # an app whose entry would have been lost rebuilds into the same folder
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "localpack",
            *BUILD,
            "--url",
            "https://par-3.example",
            "--name",
            "par-3",
            "--out",
            "shared",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    "contents",
    [
        {"SHA256SUMS": "0" * 64 + "  my-own-file.iso\n"},  # the user's own checksums
        {"notes.txt": "mine"},
        {".localpack-artifacts.json": "{not json", "SHA256SUMS": ""},  # a damaged manifest
        {".localpack-artifacts.json": json.dumps({"files": {"../../etc/passwd": "x"}})},
        {".localpack-artifacts.json": json.dumps({"files": {"a.deb": "x"}}), "SHA256SUMS/": None},  # SUMS a folder
    ],
)
def test_an_out_folder_that_is_not_localpacks_is_refused_before_the_build(
    run, home: Path, tmp_path: Path, tauri_env, contents: dict
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, text in contents.items():
        if name.endswith("/"):
            (out / name).mkdir()
        else:
            (out / name).write_text(text)
    before = {p.name: (p.read_bytes() if p.is_file() else None) for p in out.iterdir()}
    r = run(*BUILD, "--url", "https://example.com", "--name", "example", "--out", "out", env=tauri_env)
    assert r.code == 2 and "--out" in r.err and "hint:" in r.err and no_traceback(r.err), r.err
    assert {p.name: (p.read_bytes() if p.is_file() else None) for p in out.iterdir()} == before
    assert not (home / "state").exists()  # refused before any log or record


@pytest.mark.parametrize(
    "out",
    [
        "/",
        "~",
        "file.txt",
        "file.txt/sub",
        "/dev/null",
        "/proc/x",
        "/proc/self",
        "lphome/cache/elsewhere",
        "lphome/state",
    ],
)
def test_outputs_localpack_cannot_or_must_not_fill_are_refused_before_the_build(
    run, home: Path, tmp_path: Path, tauri_env, out: str
) -> None:
    fake_home = tmp_path / "userhome"
    fake_home.mkdir()
    (fake_home / ".bashrc").write_text("# the user's")
    (tmp_path / "file.txt").write_text("a file")
    root_before = sorted(os.listdir("/"))
    r = run(
        *BUILD,
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--out",
        out,
        env={**tauri_env, "HOME": str(fake_home)},
    )
    assert r.code == 2 and "--out" in r.err and "hint:" in r.err and no_traceback(r.err), r.err
    assert not (home / "state").exists() and not (home / "cache" / "elsewhere").exists()
    assert sorted(os.listdir(fake_home)) == [".bashrc"] and sorted(os.listdir("/")) == root_before
    assert (tmp_path / "file.txt").read_text() == "a file"


def test_a_record_never_says_ok_when_collecting_failed(run, home: Path, tmp_path: Path, tauri_env) -> None:
    """--out turning into a file after the checks (a race): the build fails cleanly and its record says so."""
    hook = tmp_path / "runner.sh"  # compiles, then puts a file where --out was to be made
    hook.write_text(
        f'#!/bin/sh\n[ "$1" = build ] && : > {tmp_path / "late"}\nexec {sys.executable} {CARGO_STANDIN} "$@"\n'
    )
    hook.chmod(0o755)
    r = run(
        "build",
        "--targets",
        "deb",
        "--runner",
        str(hook),
        "--no-preflight",
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--out",
        "late",
        "--json",
        env=tauri_env,
    )
    assert r.code == 3 and json.loads(r.out)["error"]["cause"] == "out_unwritable" and no_traceback(r.err)
    [record] = (home / "state" / "builds").glob("*.json")
    assert json.loads(record.read_text())["ok"] is False


@pytest.mark.parametrize("out", ["file.txt", "/dev/null", "/proc/x", "file.txt/sub"])
def test_render_and_icon_refuse_an_out_they_cannot_write(run, tmp_path: Path, out: str) -> None:
    (tmp_path / "file.txt").write_text("a file")
    from PIL import Image

    Image.new("RGB", (64, 64), (1, 2, 3)).save(tmp_path / "logo.png")
    for args in (
        ["render", "--url", "https://example.com", "--name", "example", "--out", out],
        ["icon", "logo.png", "--out", out],
    ):
        r = run(*args)
        assert r.code == 2 and "--out" in r.err and "hint:" in r.err and no_traceback(r.err), (args, r.err)
    assert (tmp_path / "file.txt").read_text() == "a file"


@pytest.mark.parametrize("out", ["new/installers", "empty"])
def test_builds_starting_together_into_one_out_all_pass_its_check(paths, tmp_path: Path, out: str) -> None:
    """Builds started at the same moment check one `--out` (new, or an empty folder) together: none is refused
    because of another's check (a folder it made and removed, a probe file it left there for a moment)."""
    from localpack.build import outdir

    (tmp_path / "empty").mkdir()
    target = tmp_path / out
    refused: list[str] = []

    def check(start: threading.Barrier) -> None:
        start.wait()
        try:
            outdir.check(target, paths)
        except ConfigError as e:
            refused.append(e.message)
        except Exception as e:  # a crash counts too
            refused.append(repr(e))

    for _ in range(40):
        start = threading.Barrier(6)
        threads = [threading.Thread(target=check, args=(start,)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not refused, refused[:3]
    assert {p.name for p in tmp_path.iterdir()} <= {"empty", "lphome"}  # nothing left behind
    assert not any((tmp_path / "empty").iterdir())
