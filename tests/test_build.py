"""`localpack build` end to end: the real Tauri CLI, a stand-in for cargo, real .deb/.rpm files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import rpmfile

from tests.conftest import CARGO_STANDIN, no_traceback

BUILD = ["build", "--targets", "deb,rpm", "--runner", str(CARGO_STANDIN), "--no-preflight"]


@pytest.fixture
def tauri_env(tauri_cli: Path) -> dict[str, str]:
    return {"LOCALPACK_TAURI": str(tauri_cli)}


def deb_field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()


def deb_files(deb: Path) -> list[str]:
    out = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    return ["/" + line.split()[-1].lstrip("./") for line in out.splitlines()]


def deb_file_text(deb: Path, member: str) -> str:
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    names = subprocess.run(["tar", "-t"], input=tar, capture_output=True, check=True).stdout.decode().split()
    [name] = [n for n in names if "/" + n.lstrip("./") == member]
    return subprocess.run(["tar", "-xO", name], input=tar, capture_output=True, check=True).stdout.decode()


def test_build_produces_real_installers(run, tmp_path: Path, tauri_env) -> None:
    title = "Example {{App}} 示例"
    r = run(
        *BUILD,
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--title",
        title,
        "--app-version",
        "2.3.4",
        env=tauri_env,
    )
    assert r.code == 0, r.err
    dist = tmp_path / "dist"
    deb, rpm = dist / "example_2.3.4_amd64.deb", dist / "example-2.3.4-1.x86_64.rpm"
    assert deb_field(deb, "Package") == "example"
    assert deb_field(deb, "Version") == "2.3.4"
    assert deb_field(deb, "Recommends") == ""  # no camera asked for: no camera plugin pulled in
    files = deb_files(deb)
    assert "/usr/bin/example" in files
    assert "/usr/share/icons/hicolor/128x128/apps/example.png" in files
    desktop = deb_file_text(deb, "/usr/share/applications/example.desktop")
    assert f"Name={title}\n" in desktop and "Exec=example\n" in desktop

    with rpmfile.open(rpm) as r_:
        assert r_.headers["name"] == b"example" and r_.headers["version"] == b"2.3.4"
        names = [m.name for m in r_.getmembers()]
        desktop_rpm = r_.extractfile("./usr/share/applications/example.desktop").read().decode()
    assert any(n.endswith("usr/bin/example") for n in names)
    assert f"Name={title}\n" in desktop_rpm

    sums = (dist / "SHA256SUMS").read_text().splitlines()
    import hashlib

    assert f"{hashlib.sha256(deb.read_bytes()).hexdigest()}  {deb.name}" in sums
    assert len(sums) == 2
    assert "example_2.3.4_amd64.deb" in r.err and "deb" in r.err  # the summary table


def test_an_app_given_the_camera_recommends_the_plugin_webkitgtk_reads_cameras_with(
    run, tmp_path: Path, tauri_env
) -> None:
    # WebKitGTK 2.50 finds cameras only through the Camera portal and PipeWire's GStreamer plugin
    r = run(*BUILD, "--url", "https://example.com", "--name", "call", "--permission", "camera", env=tauri_env)
    assert r.code == 0, r.err
    assert deb_field(tmp_path / "dist" / "call_1.0.0_amd64.deb", "Recommends") == "gstreamer1.0-pipewire"


def test_json_result_and_build_record(run, tmp_path: Path, home: Path, tauri_env) -> None:
    r = run(*BUILD, "--url", "https://example.com", "--name", "example", "--targets", "deb", "--json", env=tauri_env)
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert set(result) == {"ok", "app", "version", "workspace", "log", "duration_s", "artifacts", "runtime", "error"}
    assert result["ok"] is True and result["error"] is None
    [art] = result["artifacts"]
    assert art["path"] == "dist/example_1.0.0_amd64.deb" and art["format"] == "deb"
    assert art["size"] == (tmp_path / art["path"]).stat().st_size
    assert Path(result["log"]).read_text().count("Bundling") >= 1
    [record_path] = (home / "state" / "builds").glob("*.json")
    record = json.loads(record_path.read_text())
    assert record["ok"] is True and record["targets"] == ["deb"] and record["log"] == result["log"]
    assert set(record["phases"]) >= {"render", "runtime", "bundle", "collect"}
    assert record["config"]["app"]["url"] == "https://example.com"


def test_second_build_renders_nothing_and_reuses_the_target_dir(run, tmp_path: Path, home: Path, tauri_env) -> None:
    rec = tmp_path / "runner.jsonl"
    env = {**tauri_env, "STANDIN_RECORD": str(rec)}
    args = [*BUILD, "--url", "https://example.com", "--name", "example", "--targets", "deb"]
    assert run(*args, env=env).code == 0
    ws = home / "cache" / "workspaces" / "example"
    before = {p: p.stat().st_mtime_ns for p in ws.rglob("*") if p.is_file() and "target" not in p.parts}
    assert run(*args, env=env).code == 0
    after = {p: p.stat().st_mtime_ns for p in ws.rglob("*") if p.is_file() and "target" not in p.parts}
    assert after == before
    target_dirs = {json.loads(line)["env"]["CARGO_TARGET_DIR"] for line in rec.read_text().splitlines()}
    assert target_dirs == {str(home / "cache" / "cargo-target")}


def test_app_a_then_app_b_leaves_only_b_in_b_out(run, tmp_path: Path, tauri_env) -> None:
    assert run(*BUILD, "--url", "https://a.example", "--name", "app-a", "--out", "out-a", env=tauri_env).code == 0
    r = run(
        *BUILD,
        "--url",
        "https://b.example",
        "--name",
        "app-b",
        "--app-version",
        "0.2.0",
        "--out",
        "out-b",
        env=tauri_env,
    )
    assert r.code == 0, r.err
    names = sorted(p.name for p in (tmp_path / "out-b").iterdir() if not p.name.startswith("."))
    assert names == ["SHA256SUMS", "app-b-0.2.0-1.x86_64.rpm", "app-b_0.2.0_amd64.deb"]


def test_a_file_from_elsewhere_in_out_is_never_replaced(run, tmp_path: Path, tauri_env) -> None:
    assert run(*BUILD, "--url", "https://a.example", "--name", "app-a", env=tauri_env).code == 0
    dist = tmp_path / "dist"  # localpack's --out now; a file of the user's with the next build's name lands there
    (dist / "example_1.0.0_amd64.deb").write_text("mine")
    r = run(*BUILD, "--url", "https://example.com", "--name", "example", env=tauri_env)
    assert r.code == 2 and "already exists and came from something other than localpack" in r.err and "hint:" in r.err
    assert (dist / "example_1.0.0_amd64.deb").read_text() == "mine"


def test_a_failing_build_exits_3_with_the_full_log(run, tmp_path: Path, tauri_env) -> None:
    r = run(
        *BUILD, "--url", "https://example.com", "--name", "example", "--json", env={**tauri_env, "STANDIN_MODE": "fail"}
    )
    assert r.code == 3
    result = json.loads(r.out)
    assert result["ok"] is False and result["artifacts"] == []
    assert result["error"]["code"] == "build_failed"
    log = Path(result["log"]).read_text()
    assert "Compiling tauri v1.0.5" in log and "could not compile `localpack-runtime`" in log
    assert no_traceback(r.err)

    human = run(*BUILD, "--url", "https://example.com", "--name", "example", env={**tauri_env, "STANDIN_MODE": "fail"})
    assert human.code == 3 and "error: build failed" in human.err and "log: " in human.err
    assert human.out == ""


def _tree_gone(pidfile: Path) -> None:
    pids = [int(p) for p in pidfile.read_text().split()]
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids), "a process of the build tree survived"


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_hanging_build_is_killed_at_the_timeout(run, tmp_path: Path, tauri_env) -> None:
    pidfile = tmp_path / "pids"
    r = run(
        *BUILD,
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--timeout",
        "4",
        "--json",
        env={**tauri_env, "STANDIN_MODE": "hang", "STANDIN_PIDFILE": str(pidfile)},
    )
    assert r.code == 3
    assert json.loads(r.out)["error"]["code"] == "timeout"
    _tree_gone(pidfile)


def test_ctrl_c_stops_the_whole_tree(home: Path, tmp_path: Path, tauri_env) -> None:
    pidfile = tmp_path / "pids"
    env = {
        **os.environ,
        **tauri_env,
        "LOCALPACK_HOME": str(home),
        "STANDIN_MODE": "hang",
        "STANDIN_PIDFILE": str(pidfile),
    }
    p = subprocess.Popen(
        [sys.executable, "-m", "localpack", *BUILD, "--url", "https://example.com", "--name", "ex"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 60
    while not pidfile.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert pidfile.exists(), "the stand-in never started"
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=30)
    assert p.returncode == 130, err
    assert "interrupted" in err and no_traceback(err)
    _tree_gone(pidfile)


def test_a_second_build_of_the_same_app_waits_for_the_first(run, home: Path, tauri_env) -> None:
    from filelock import FileLock

    lock = FileLock(str(home / "cache" / "workspaces" / "example") + ".lock")
    (home / "cache" / "workspaces").mkdir(parents=True)
    with lock:
        r = run(*BUILD, "--url", "https://example.com", "--name", "example", "--timeout", "2", env=tauri_env)
    assert r.code == 3 and "another build of example" in r.err
    assert run(*BUILD, "--url", "https://example.com", "--name", "example", env=tauri_env).code == 0


@pytest.mark.parametrize("targets,message", [("msi", "only be built on windows"), ("dep", "did you mean 'deb'")])
def test_impossible_targets_are_refused(run, tauri_env, targets: str, message: str) -> None:
    r = run("build", "--url", "https://example.com", "--name", "x", "--targets", targets, env=tauri_env)
    assert r.code == 2 and message in r.err and "hint:" in r.err and no_traceback(r.err)
    assert "log:" not in r.err  # invalid input: no build started, nothing written


def test_invalid_config_with_json_keeps_the_result_shape(run, tauri_env) -> None:
    r = run("build", "--url", "ftp://nope", "--name", "x", "--json", env=tauri_env)
    assert r.code == 2
    result = json.loads(r.out)
    assert set(result) == {"ok", "app", "version", "workspace", "log", "duration_s", "artifacts", "runtime", "error"}
    assert result["ok"] is False and result["error"]["code"] == "config_invalid"
    assert "app.url" in result["error"]["message"]


def test_a_known_failure_is_diagnosed_and_report_keeps_exit_3(run, tauri_env) -> None:
    r = run(
        *BUILD,
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--json",
        env={**tauri_env, "STANDIN_MODE": "no-network"},
    )
    assert r.code == 3
    error = json.loads(r.out)["error"]
    assert error["cause"] == "crates_io_unreachable" and "prefetch" in error["hint"]
    # --report without a terminal cannot ask: it says so, and the build's exit code stays 3
    r = run(
        *BUILD,
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--report",
        env={**tauri_env, "STANDIN_MODE": "no-network"},
    )
    assert r.code == 3 and "not reported" in r.err and no_traceback(r.err)


def test_the_apps_own_icon_reaches_the_installer(run, tmp_path: Path, tauri_env) -> None:
    from PIL import Image

    Image.new("RGB", (600, 400), (200, 30, 30)).save(tmp_path / "logo.png")
    r = run(
        *BUILD,
        "--url",
        "https://example.com",
        "--name",
        "example",
        "--targets",
        "deb",
        "--icon",
        "logo.png",
        env=tauri_env,
    )
    assert r.code == 0, r.err
    tar = subprocess.run(
        ["dpkg-deb", "--fsys-tarfile", str(tmp_path / "dist" / "example_1.0.0_amd64.deb")],
        capture_output=True,
        check=True,
    ).stdout
    png = subprocess.run(
        ["tar", "-xO", "--wildcards", "*/128x128/apps/example.png"], input=tar, capture_output=True, check=True
    ).stdout
    import io

    icon = Image.open(io.BytesIO(png)).convert("RGBA")
    assert icon.size == (128, 128)
    assert icon.getpixel((64, 64))[:3] == (200, 30, 30)  # the user's picture, not the built-in icon
    assert icon.getpixel((64, 2))[3] == 0  # a 3:2 picture is centred on a transparent square


def test_installers_never_land_in_the_web_apps_own_folder(run, tmp_path: Path, home: Path, tauri_env) -> None:
    web = tmp_path / "dist"  # a web app built into ./dist, with --out's default ./dist
    web.mkdir()
    (web / "index.html").write_text("<h1>app</h1>")
    r = run(*BUILD, "--dist", "dist", "--name", "webapp", env=tauri_env)
    assert r.code == 2 and "overlaps the web app folder" in r.err and "--out" in r.err
    assert sorted(p.name for p in web.iterdir()) == ["index.html"]
    assert not (home / "state").exists()  # refused before any log or record
    assert run(*BUILD, "--dist", "dist", "--name", "webapp", "--out", "installers", env=tauri_env).code == 0


def test_kill_9_of_localpack_leaves_no_build_running_beside_the_next(
    run, home: Path, tmp_path: Path, tauri_env
) -> None:
    pidfile = tmp_path / "pids"
    env = {
        **os.environ,
        **tauri_env,
        "LOCALPACK_HOME": str(home),
        "STANDIN_MODE": "hang",
        "STANDIN_PIDFILE": str(pidfile),
    }
    p = subprocess.Popen(
        [sys.executable, "-m", "localpack", *BUILD, "--url", "https://example.com", "--name", "ex"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not pidfile.exists() and time.time() < deadline:
        time.sleep(0.1)
    assert pidfile.exists(), "the stand-in never started"
    [tauri] = psutil.Process(p.pid).children()  # the Tauri CLI, localpack's one child
    p.kill()
    p.wait(timeout=10)
    _tree_gone_pids([tauri.pid])  # it dies with localpack (parent-death signal)
    r = run("cache", "clean")  # what it started is still running: cleaning now would pull the target dir from under it
    assert r.code == 2 and "left processes running" in r.err and no_traceback(r.err)
    r = run(*BUILD, "--url", "https://example.com", "--name", "ex", env=tauri_env)
    assert r.code == 0, r.err
    assert "was killed and left" in r.err and "stopping them first" in r.err
    _tree_gone(pidfile)


def _tree_gone_pids(pids: list[int]) -> None:
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids), "a process of the build tree survived"
