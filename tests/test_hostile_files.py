"""Hostile input, round two (issue 21): files localpack writes must never clobber what is not its own.

Classes 10-15 and 21, each through the CLI with several variants: `offline export` over what FILE is, a
staging link in `--out`, Ctrl-C while installers are collected, `cache clean` beside a running build, an
offline import that cannot merge, `--out` rules for render and icon, and an air-gapped `build --offline`.
Interruptions are real: SIGINT to a real `localpack build`, held at a file operation by `tests/fakes/hold`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CARGO_STANDIN, FAKES, no_traceback

DEB = ["build", "--targets", "deb", "--runner", str(CARGO_STANDIN), "--no-preflight"]
BOTH = ["build", "--targets", "deb,rpm", "--runner", str(CARGO_STANDIN), "--no-preflight"]


@pytest.fixture
def tauri_env(tauri_cli: Path) -> dict[str, str]:
    return {"LOCALPACK_TAURI": str(tauri_cli)}


def _one_refusal(r, *words: str) -> None:
    """Exit 2, one error line naming what was refused and why, a hint, no traceback."""
    errors = [line for line in r.err.splitlines() if line.startswith("error: ")]
    assert r.code == 2 and len(errors) == 1 and "hint: " in r.err and no_traceback(r.err), r.err
    for word in words:
        assert word in errors[0], (word, r.err)


def _out_is_consistent(out: Path) -> list[str]:
    """`--out` as a user checks it: SHA256SUMS verifies, the manifest lists exactly the installers, no staging
    copies are left. Returns the installers."""
    installers = sorted(p.name for p in out.iterdir() if not p.name.startswith(".") and p.name != "SHA256SUMS")
    assert not [p.name for p in out.iterdir() if p.name.endswith(".copying") and not p.is_symlink()]
    if not installers:
        return []
    owners = json.loads((out / ".localpack-artifacts.json").read_text())["files"]
    assert sorted(owners) == installers
    assert sorted(line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()) == installers
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], check=False, cwd=out, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    return installers


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Name → bytes of every file in `folder` but the lock localpack keeps there ({} when there is no folder)."""
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != ".localpack-artifacts.lock"}


# ------------------------------------------------------------------ 11: staging files never follow a link
@pytest.mark.parametrize("plant", ["file", "dangling", "folder", "second-build"])
def test_a_link_planted_at_the_staging_name_is_never_followed(run, tmp_path: Path, tauri_env, plant: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("the user's")
    out = tmp_path / "dist"
    out.mkdir()
    if plant == "second-build":
        assert run(*DEB, "--url", "https://example.com", "--name", "example", env=tauri_env).code == 0
    target = {"file": victim, "dangling": outside / "new-file", "folder": outside, "second-build": victim}[plant]
    for name in ("example_1.0.0_amd64.deb", "SHA256SUMS", ".localpack-artifacts.json"):
        (out / f".{name}.copying").symlink_to(target)
    r = run(*DEB, "--url", "https://example.com", "--name", "example", env=tauri_env)
    assert r.code == 0, r.err
    assert victim.read_text() == "the user's" and sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert not (out / "example_1.0.0_amd64.deb").is_symlink()
    assert (out / ".example_1.0.0_amd64.deb.copying").is_symlink()  # left alone, unused
    assert _out_is_consistent(out) == ["example_1.0.0_amd64.deb"]


# ------------------------------------------------------------------ 12: collecting is all or nothing
def _held_build(tmp_path: Path, env: dict[str, str], call: str, at: int, args: list[str]) -> subprocess.Popen:
    reached = tmp_path / "reached"
    reached.unlink(missing_ok=True)
    (tmp_path / "go").unlink(missing_ok=True)
    hold = {
        "PYTHONPATH": f"{FAKES / 'hold'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "HOLD_CALL": call,
        "HOLD_AT": str(at),
        "HOLD_IN": str(tmp_path / "dist"),
        "HOLD_REACHED": str(reached),
        "HOLD_GO": str(tmp_path / "go"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "localpack", *args],
        cwd=tmp_path,
        env={**env, **hold},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while not path.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    assert path.exists(), proc.communicate(timeout=10)


# (what to hold, which call, the state expected after Ctrl-C there): staging copies come before the commit, so
# an interrupt there leaves the old folder; the renames are the commit, so one held there completes the new one.
@pytest.mark.parametrize(
    "call,at,expect,sig",
    [
        ("shutil.copyfileobj", 1, "old", signal.SIGINT),  # copying the first installer
        ("shutil.copyfileobj", 2, "old", signal.SIGINT),  # the second: the first is staged already
        ("os.replace", 1, "new", signal.SIGINT),  # the first installer moved into place
        ("os.replace", 3, "new", signal.SIGINT),  # installers in place, the manifest next
        ("os.replace", 4, "new", signal.SIGTERM),  # SHA256SUMS last
    ],
)
@pytest.mark.parametrize("before", ["empty", "earlier-version"])
def test_ctrl_c_while_collecting_leaves_the_old_folder_or_the_new_one(
    home: Path, tmp_path: Path, tauri_env, call: str, at: int, expect: str, sig: int, before: str
) -> None:
    env = {**os.environ, **tauri_env, "LOCALPACK_HOME": str(home)}
    base = [*BOTH, "--url", "https://example.com", "--name", "example"]
    out = tmp_path / "dist"
    if before == "earlier-version":
        subprocess.run(
            [sys.executable, "-m", "localpack", *base, "--app-version", "0.9.0"],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
        )
    old = _snapshot(out)
    p = _held_build(tmp_path, env, call, at, base)
    _wait_for(tmp_path / "reached", p)
    p.send_signal(sig)
    time.sleep(0.3)
    (tmp_path / "go").touch()
    _out, err = p.communicate(timeout=60)
    assert p.returncode == 130 and no_traceback(err), err
    installers = _out_is_consistent(out) if out.exists() else []
    if expect == "old":
        assert _snapshot(out) == old
    else:
        assert "example_1.0.0_amd64.deb" in installers and "example-1.0.0-1.x86_64.rpm" in installers
    again = subprocess.run(
        [sys.executable, "-m", "localpack", *base], check=False, cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr  # the next build accepts the folder
    assert {"example_1.0.0_amd64.deb", "example-1.0.0-1.x86_64.rpm"} <= set(_out_is_consistent(out))


# ------------------------------------------------------------------ 13: cache clean beside a running build
@pytest.mark.parametrize(
    "mode,flags",
    [
        ("compile-runtime", []),  # the first build of a runtime: its compile holds the shared parts
        ("compile-app", []),  # the app compiled on its own, in the shared target dir
        ("compile-runtime", ["--all"]),
        ("compile-app", ["--logs"]),
    ],
)
def test_cache_clean_beside_a_running_build_keeps_what_it_uses(
    run, home: Path, tmp_path: Path, tauri_env, mode: str, flags: list[str]
) -> None:
    env = {**os.environ, **tauri_env, "LOCALPACK_HOME": str(home)}
    # an idle app, whose workspace clean may free
    assert run(*DEB, "--url", "https://idle.example", "--name", "idle", "--debug", env=tauri_env).code == 0
    barrier = tmp_path / "barrier"  # the stand-in cargo waits there, mid-compile, until a second file appears
    build = [
        *DEB,
        "--url",
        "https://example.com",
        "--name",
        "example",
        *(["--compile"] if mode == "compile-app" else []),
    ]
    p = subprocess.Popen(
        [sys.executable, "-m", "localpack", *build],
        cwd=tmp_path,
        env={**env, "STANDIN_BARRIER": f"{barrier}:2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    while not (barrier.is_dir() and any(barrier.iterdir())) and p.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert barrier.is_dir() and any(barrier.iterdir()), p.communicate(timeout=10)
    r = run("cache", "clean", *flags)
    assert r.code == 0 and no_traceback(r.err), r.err
    assert "kept" in r.err and "a build of example is running" in r.err and "cargo-target" in r.err
    assert (home / "cache" / "workspaces" / "example").is_dir() and (home / "cache" / "cargo-target").is_dir()
    assert not (home / "cache" / "workspaces" / "idle").exists()  # what nobody uses is freed
    (barrier / "go").touch()
    _out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    assert (tmp_path / "dist" / "example_1.0.0_amd64.deb").is_file()
    assert json.loads(next((home / "state" / "builds").glob("example-*.json")).read_text())["ok"] is True
    r = run("cache", "clean", *flags)  # now nothing is in use
    assert r.code == 0 and "kept" not in r.err and not (home / "cache" / "cargo-target").exists()


def test_a_build_that_starts_while_clean_runs_waits_for_it(run, home: Path, tmp_path: Path, tauri_env) -> None:
    from filelock import FileLock

    (home / "cache").mkdir(parents=True)
    gate = FileLock(str(home / "cache" / ".clean.lock"))  # what `cache clean` holds while it removes things
    gate.acquire()
    try:
        p = subprocess.Popen(
            [sys.executable, "-m", "localpack", *DEB, "--url", "https://example.com", "--name", "example"],
            cwd=tmp_path,
            env={**os.environ, **tauri_env, "LOCALPACK_HOME": str(home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert p.poll() is None and not (tmp_path / "dist").exists()
    finally:
        gate.release()
    _out, err = p.communicate(timeout=120)
    assert p.returncode == 0 and "cache clean` is running; waiting" in err, err


# ------------------------------------------------------------------ 10: offline export never replaces what FILE is
def _fill_store(home: Path) -> None:
    crate = home / "cache" / "offline" / "vendor" / "foo-1.0.0"
    crate.mkdir(parents=True)
    (crate / "lib.rs").write_text("pub fn f() {}\n")
    (crate / ".cargo-checksum.json").write_text('{"files": {}, "package": null}\n')


@pytest.mark.parametrize(
    "what,force",
    [
        ("user-file", False),
        ("empty-file", False),
        ("folder", False),
        ("folder", True),
        ("fifo", True),
        ("link-to-file", True),
        ("dangling-link", True),
        ("/dev/null", True),
        ("inside-cache", True),
        ("under-a-file", False),
    ],
)
def test_offline_export_refuses_what_it_did_not_write(run, home: Path, tmp_path: Path, what: str, force: bool) -> None:
    _fill_store(home)
    mine = tmp_path / "notes.txt"
    mine.write_text("the user's notes")
    target = {
        "user-file": mine,
        "empty-file": tmp_path / "empty",
        "folder": tmp_path / "folder",
        "fifo": tmp_path / "fifo",
        "link-to-file": tmp_path / "link",
        "dangling-link": tmp_path / "dangling",
        "/dev/null": Path("/dev/null"),
        "inside-cache": home / "cache" / "offline.tar.gz",
        "under-a-file": mine / "offline.tar.gz",
    }[what]
    if what == "empty-file":
        target.write_bytes(b"")
    elif what == "folder":
        target.mkdir()
        (target / "kept").write_text("x")
    elif what == "fifo":
        os.mkfifo(target)
    elif what == "link-to-file":
        target.symlink_to(mine)
    elif what == "dangling-link":
        target.symlink_to(tmp_path / "elsewhere.tar.gz")
    before = os.lstat(target) if os.path.lexists(target) else None
    r = run("offline", "export", str(target), *(["--force"] if force else []))
    _one_refusal(r, str(target))
    assert mine.read_text() == "the user's notes" and not (tmp_path / "elsewhere.tar.gz").exists()
    if before is not None:
        after = os.lstat(target)
        assert (after.st_ino, after.st_mode, after.st_size) == (before.st_ino, before.st_mode, before.st_size)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not (home / "cache" / "offline.tar.gz").exists()


def test_offline_export_replaces_its_own_archive_and_anything_else_only_with_force(
    run, home: Path, tmp_path: Path
) -> None:
    _fill_store(home)
    archive = tmp_path / "offline.tar.gz"
    assert run("offline", "export", str(archive)).code == 0
    first = archive.stat().st_ino
    assert run("offline", "export", str(archive)).code == 0  # an archive localpack wrote: replaced
    assert archive.stat().st_ino != first
    mine = tmp_path / "notes.txt"
    mine.write_text("mine")
    _one_refusal(run("offline", "export", str(mine)), "not an archive localpack wrote")
    assert run("offline", "export", str(mine), "--force").code == 0
    r = run("offline", "import", str(mine), env={"LOCALPACK_HOME": str(tmp_path / "other")})
    assert r.code == 0, r.err


# ------------------------------------------------------------------ 14: offline import is all or nothing
@pytest.mark.parametrize(
    "clash", ["file-where-folder", "folder-where-file", "link-where-folder", "fifo-where-file", "store-is-a-file"]
)
def test_a_second_import_that_cannot_merge_changes_nothing(run, home: Path, tmp_path: Path, clash: str) -> None:
    _fill_store(home)
    (home / "cache" / "offline" / "vendor" / "bar-2.0.0").mkdir()
    (home / "cache" / "offline" / "vendor" / "bar-2.0.0" / "lib.rs").write_text("bar\n")
    archive = tmp_path / "offline.tar.gz"
    assert run("offline", "export", str(archive)).code == 0
    other = tmp_path / "machine"
    env = {"LOCALPACK_HOME": str(other)}
    store = other / "cache" / "offline"
    (store / "vendor" / "aaa-0.1.0").mkdir(parents=True)  # the store's own data, before the clash in sort order
    (store / "vendor" / "aaa-0.1.0" / "lib.rs").write_text("aaa\n")
    if clash == "file-where-folder":
        (store / "vendor" / "foo-1.0.0").write_text("a file")
    elif clash == "folder-where-file":
        (store / "vendor" / "foo-1.0.0" / "lib.rs").mkdir(parents=True)
    elif clash == "link-where-folder":
        (tmp_path / "elsewhere").mkdir()
        (store / "vendor" / "foo-1.0.0").symlink_to(tmp_path / "elsewhere")
    elif clash == "fifo-where-file":
        (store / "vendor" / "foo-1.0.0").mkdir()
        os.mkfifo(store / "vendor" / "foo-1.0.0" / "lib.rs")
    else:
        import shutil

        shutil.rmtree(store)
        store.write_text("not a folder")

    def state() -> dict[str, tuple[int, int]]:
        root = other / "cache"
        return {
            p.relative_to(root).as_posix(): (os.lstat(p).st_mode, os.lstat(p).st_size)
            for p in root.rglob("*")
            if not p.name.endswith(".lock")
        }  # the locks localpack keeps in its cache

    before = state()
    r = run("offline", "import", str(archive), env=env)
    _one_refusal(r, "nothing was imported")
    assert state() == before  # no partial merge, no staging folder left
    assert not (tmp_path / "elsewhere").exists() or not any((tmp_path / "elsewhere").iterdir())


def test_a_second_import_merges_whole(run, home: Path, tmp_path: Path) -> None:
    _fill_store(home)
    archive = tmp_path / "offline.tar.gz"
    assert run("offline", "export", str(archive)).code == 0
    other = tmp_path / "machine"
    store = other / "cache" / "offline"
    (store / "vendor" / "foo-1.0.0").mkdir(parents=True)
    (store / "vendor" / "foo-1.0.0" / "lib.rs").write_text("an older copy\n")
    (store / "vendor" / "zzz-9.0.0").mkdir()
    (store / "vendor" / "zzz-9.0.0" / "lib.rs").write_text("kept\n")
    r = run("offline", "import", str(archive), "--json", env={"LOCALPACK_HOME": str(other)})
    assert r.code == 0, r.err
    assert (store / "vendor" / "foo-1.0.0" / "lib.rs").read_text() == "pub fn f() {}\n"
    assert (store / "vendor" / "zzz-9.0.0" / "lib.rs").read_text() == "kept\n"
    assert json.loads((store / "state.json").read_text())["platform"]
    assert not list((other / "cache").glob(".offline-import-*"))


# ------------------------------------------------------------------ 15: one --out rule for every command
def _tree(folder: Path) -> dict[str, bytes | None]:
    return (
        {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}
        if folder.exists()
        else {}
    )


@pytest.mark.parametrize(
    "command,where",
    [
        (command, where)
        for command in ("render", "icon", "build")
        for where in (
            "cache",
            "state",
            "config",
            "cache-itself",
            "inside-dist",
            "dist-itself",
            "around-dist",
            "user-folder",
        )
        if command != "icon" or "dist" not in where  # icon reads no web app
    ],
)
def test_every_command_refuses_the_same_outs(
    run, home: Path, tmp_path: Path, tauri_env, command: str, where: str
) -> None:
    from PIL import Image

    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<h1>app</h1>")
    Image.new("RGB", (64, 64), (1, 2, 3)).save(tmp_path / "logo.png")
    (home / "config").mkdir(parents=True)
    (home / "config" / "github-token").write_text("ghp_x\n")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("the user's")
    out = {
        "cache": home / "cache" / "out",
        "state": home / "state" / "logs",
        "config": home / "config",
        "cache-itself": home / "cache",
        "inside-dist": web / "assets",
        "dist-itself": web,
        "around-dist": tmp_path,
        "user-folder": tmp_path / "mine",
    }[where]
    args = {
        "render": ["render", "--dist", str(web), "--name", "example", "--icon", "logo.png"],
        "icon": ["icon", "logo.png"],
        "build": [*DEB, "--dist", str(web), "--name", "example"],
    }[command]
    before = {p: _tree(p) for p in (home, web, tmp_path / "mine")}
    r = run(*args, "--out", str(out), env=tauri_env)
    _one_refusal(r, "--out", str(out))
    assert {p: _tree(p) for p in (home, web, tmp_path / "mine")} == before


@pytest.mark.parametrize("src", ["icon.png", "icons/icon.png", "icons/icon.ico"])
def test_icon_never_writes_over_its_source_picture(run, tmp_path: Path, src: str) -> None:
    from PIL import Image

    picture = tmp_path / src
    picture.parent.mkdir(exist_ok=True)
    Image.new("RGB", (64, 64), (9, 9, 9)).save(picture, format="PNG")
    before = picture.read_bytes()
    r = run("icon", src, "--out", str(picture.parent))
    _one_refusal(r, str(picture))
    assert picture.read_bytes() == before and sorted(os.listdir(picture.parent)) == [picture.name]


def test_icon_fills_a_new_folder_and_again_its_own_but_no_other(run, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (64, 64), (1, 2, 3)).save(tmp_path / "logo.png")
    assert run("icon", "logo.png").code == 0  # default --out icons
    assert run("icon", "logo.png", "--round").code == 0  # localpack's own folder: replaced
    tauri_project = tmp_path / "src-tauri" / "icons"
    tauri_project.mkdir(parents=True)
    (tauri_project / "icon.png").write_bytes(b"the project's own icon")
    _one_refusal(run("icon", "logo.png", "--out", str(tauri_project)), "not empty")
    assert (tauri_project / "icon.png").read_bytes() == b"the project's own icon"


# ------------------------------------------------------------------ 21: an air-gapped machine, nothing imported
@pytest.mark.parametrize(
    "args",
    [
        ["build", "--offline", "--url", "https://example.com", "--name", "example"],
        ["build", "--offline", "--targets", "deb", "--url", "https://example.com", "--name", "example", "--json"],
        ["doctor", "--offline"],
        ["doctor", "--offline", "--targets", "deb", "--json"],
    ],
)
def test_an_air_gapped_machine_is_told_to_prefetch_and_import(run, tmp_path: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "LOCALPACK_TAURI"}
    env.update(PATH="/usr/bin:/bin", HOME=str(tmp_path / "userhome"))  # no Tauri CLI, no Rust on PATH
    r = run(*args, env=env)
    assert r.code == 4 and no_traceback(r.err), r.err
    told = r.out + r.err
    assert "nothing is prefetched on this machine" in told or args[-1] == "--json"  # doctor --json: the rows' hints
    assert "localpack prefetch" in told and "localpack offline export" in told and "localpack offline import" in told
    if "--json" in args and args[0] == "build":
        assert "localpack offline import" in json.loads(r.out)["error"]["hint"]


def _held(tmp_path: Path, env: dict[str, str], call: str, at: int, inside: Path, args: list[str]) -> subprocess.Popen:
    hold = {
        "PYTHONPATH": f"{FAKES / 'hold'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "HOLD_CALL": call,
        "HOLD_AT": str(at),
        "HOLD_IN": str(inside),
        "HOLD_REACHED": str(tmp_path / "reached"),
        "HOLD_GO": str(tmp_path / "go"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "localpack", *args],
        cwd=tmp_path,
        env={**env, **hold},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("sig", [None, signal.SIGINT, signal.SIGTERM])
def test_an_import_held_mid_merge_is_left_alone_by_clean_and_lands_whole(
    run, home: Path, tmp_path: Path, sig: int | None
) -> None:
    """13 and 14 together: `cache clean --all` while an import merges keeps the store; Ctrl-C there waits for
    the merge, so the store gets the whole archive."""
    _fill_store(home)
    (home / "cache" / "offline" / "vendor" / "bar-2.0.0").mkdir()
    (home / "cache" / "offline" / "vendor" / "bar-2.0.0" / "lib.rs").write_text("bar\n")
    archive = tmp_path / "offline.tar.gz"
    assert run("offline", "export", str(archive)).code == 0
    other = tmp_path / "machine"
    store = other / "cache" / "offline"
    (store / "vendor" / "aaa-0.1.0").mkdir(parents=True)
    (store / "vendor" / "aaa-0.1.0" / "lib.rs").write_text("aaa\n")
    env = {**os.environ, "LOCALPACK_HOME": str(other)}
    p = _held(tmp_path, env, "os.replace", 1, store / "vendor", ["offline", "import", str(archive)])
    _wait_for(tmp_path / "reached", p)
    r = run("cache", "clean", "--all", env={"LOCALPACK_HOME": str(other)})
    assert r.code == 0 and "kept" in r.err and "offline import" in r.err and no_traceback(r.err), r.err
    assert (store / "vendor" / "aaa-0.1.0" / "lib.rs").is_file() and list((other / "cache").glob(".offline-import-*"))
    if sig is not None:
        p.send_signal(sig)
        time.sleep(0.3)
    (tmp_path / "go").touch()
    _out, err = p.communicate(timeout=60)
    assert p.returncode == (0 if sig is None else 130) and no_traceback(err), err
    for crate in ("aaa-0.1.0", "foo-1.0.0", "bar-2.0.0"):
        assert (store / "vendor" / crate / "lib.rs").is_file(), crate
    assert json.loads((store / "state.json").read_text())["platform"]
    assert not list((other / "cache").glob(".offline-import-*"))
