"""Hostile input, round two (issue 21, classes 1-6): values no later step could handle are refused where every
value of their kind passes, with exit 2 (3 for a build that ran), one line naming the file or key and the rule,
no traceback, and nothing written outside what the command owns."""

from __future__ import annotations

import contextlib
import errno
import gzip
import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import CARGO_STANDIN, Result, no_traceback, write_config

NOBODY = "~no-such-user-lp21"
HUGE = "9" * 4301  # one digit past what Python converts to text


def refused(r: Result, *words: str, code: int = 2) -> str:
    """The run was refused as the contract says: the exit code, `error:` and `hint:` lines (besides warnings and
    a failed build's `log:` line), no traceback;
    returns the error line."""
    assert r.code == code, (r.code, r.err)
    assert no_traceback(r.text), r.err
    lines = [line for line in r.err.strip().splitlines() if not line.startswith(("warning:", "log: "))]
    assert len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: "), r.err
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder` with its bytes: compared before and after a refused run."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        found[str(path.relative_to(folder))] = path.read_bytes() if path.is_file() else None
    return found


# ---------------------------------------------------------------- class 1: NUL bytes and ~nobody
NUL_CONFIGS = [
    ("app.dist", '[app]\nname = "a"\ndist = "we\\u0000b"\n', "NUL"),
    ("app.dist", f'[app]\nname = "a"\ndist = "{NOBODY}/web"\n', "cannot be expanded"),
    ("app.icon", '[app]\nname = "a"\nurl = "https://e.com"\nicon = "i\\u0000.png"\n', "NUL"),
    (
        "behavior.download_dir",
        f'[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = "{NOBODY}"\n',
        "cannot be expanded",
    ),
    (
        "behavior.download_dir",
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownload_dir = "d\\u0000"\n',
        "NUL",
    ),
    (
        "behavior.inject",
        '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ninject = ["ok.js", "x\\u0000.js"]\n',
        "NUL",
    ),
    (
        "behavior.inject",
        f'[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ninject = ["{NOBODY}/a.css"]\n',
        "cannot be expanded",
    ),
    ("window.user_agent", '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nuser_agent = "UA\\u0000"\n', "NUL"),
    ("bundle.keywords", '[app]\nname = "a"\nurl = "https://e.com"\n[bundle]\nkeywords = ["a\\u0000b"]\n', "NUL"),
]


@pytest.mark.parametrize("key,text,rule", NUL_CONFIGS, ids=[f"{k}:{r}" for k, _t, r in NUL_CONFIGS])
def test_nul_bytes_and_unknown_users_in_a_config_are_refused_naming_the_key(
    run, home: Path, tmp_path: Path, key: str, text: str, rule: str
) -> None:
    work = tmp_path / "work"
    config = write_config(work, text)
    (work / "ok.js").write_text("1")
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    before = tree(work)
    for args in (
        ["render", str(config)],
        ["render", str(config), "--out", str(tmp_path / "out")],
        ["build", str(config), "--no-preflight", "--runner", str(CARGO_STANDIN), "--out", str(tmp_path / "d")],
        ["ci", "init", str(config)],
    ):
        refused(run(*args, cwd=work), str(config), key, rule)
    assert tree(work) == before and not (tmp_path / "out").exists() and not (tmp_path / "d").exists()
    assert not (home / "cache" / "workspaces").exists()


def test_unknown_users_in_path_flags_are_refused_naming_the_key(run, home: Path, tmp_path: Path) -> None:
    for flag, key in (
        ("--dist", "app.dist"),
        ("--inject", "behavior.inject"),
        ("--download-dir", "behavior.download_dir"),
        ("--icon", "app.icon"),
    ):
        source = [] if flag == "--dist" else ["--url", "https://e.com"]
        r = run("render", "--name", "a", *source, flag, f"{NOBODY}/x.js")
        refused(r, "command line", key, "cannot be expanded", NOBODY)
    assert not home.exists()


PAKEPLUS_NUL = [
    ("iconPath", {"name": "Demo", "url": "https://e.com", "iconPath": "ic\u0000on.png"}, "NUL"),
    ("iconPath", {"name": "Demo", "url": "https://e.com", "iconPath": f"{NOBODY}/icon.png"}, NOBODY),
    ("htmlPath", {"name": "Demo", "isHtml": True, "htmlPath": f"{NOBODY}/www"}, NOBODY),
    ("htmlPath", {"name": "Demo", "isHtml": True, "htmlPath": "www\u0000"}, "NUL"),
    ("jsFile", {"name": "Demo", "url": "https://e.com", "jsFile": ["a.js", f"{NOBODY}/b.js"]}, NOBODY),
    ("jsFile[0]", {"name": "Demo", "url": "https://e.com", "jsFile": ["\u0000.js"]}, "NUL"),
    ("desktop.showName", {"name": "Demo", "url": "https://e.com", "desktop": {"showName": "D\u0000"}}, "NUL"),
]


@pytest.mark.parametrize("field,data,rule", PAKEPLUS_NUL, ids=[f"{f}:{r}" for f, _d, r in PAKEPLUS_NUL])
def test_nul_bytes_and_unknown_users_in_a_ppconfig_are_refused_naming_the_field(
    run, home: Path, tmp_path: Path, field: str, data: dict, rule: str
) -> None:
    source = tmp_path / "ppconfig.json"
    source.write_text(json.dumps(data))
    target = tmp_path / "new"
    target.mkdir()
    refused(run("init", "--from-pakeplus", str(source), "--dir", str(target)), str(source), f"field {field}", rule)
    refused(run("render", "--from-pakeplus", str(source)), str(source), f"field {field}", rule)
    assert list(target.iterdir()) == [] and not (home / "cache" / "workspaces").exists()


# ---------------------------------------------------------------- class 2: deeply nested JSON
def deep(n: int = 20000, opener: str = "[", closer: str = "]") -> str:
    return opener * n + closer * n


def plant_record(home: Path, text: str, stem: str = "demo-20261201T000000000000") -> Path:
    builds = home / "state" / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    path = builds / f"{stem}.json"
    path.write_text(text)
    return path


def test_deep_json_in_a_ppconfig_is_refused(run, home: Path, tmp_path: Path) -> None:
    for i, text in enumerate(
        (
            deep(),
            '{"name": "Demo", "url": "https://e.com", "more": '
            + deep(5000, '{"a":', "}")[:-5000]
            + "1"
            + "}" * 5000
            + "}",
            '{"desktop": ' + deep(100000) + "}",
        )
    ):
        source = tmp_path / f"ppconfig{i}.json"
        source.write_text(text)
        refused(run("init", "--from-pakeplus", str(source), "--dir", str(tmp_path)), str(source), "nested more than")
        refused(run("render", "--from-pakeplus", str(source)), str(source), "nested more than")
    assert not (tmp_path / "localpack.toml").exists()


def test_deep_json_in_records_and_pending_reports_is_treated_as_damaged(run, home: Path, tmp_path: Path) -> None:
    deep_record = plant_record(home, '{"schema": 1, "config": ' + deep() + "}")
    refused(run("report", str(deep_record), "--dry-run"), str(deep_record), "nested more than")
    r = run("report", "--last", "--dry-run")  # the only record is damaged: there is no failed build to report
    refused(r, "no failed build")
    r = run("cache", "info", "--json")
    assert r.code == 0 and no_traceback(r.text) and json.loads(r.out)["state"]
    pending = home / "state" / "pending-reports"
    pending.mkdir(parents=True)
    kept = pending / "demo-20261201T000000000000-abcd1234.json"
    kept.write_text('{"repo": "o/r", "labels": ' + deep() + "}")
    r = run("report", "--retry", env={"LOCALPACK_GITHUB_TOKEN": "ghp_" + "a" * 36})
    assert r.code in (2, 5) and no_traceback(r.text) and "unreadable" in r.err, r.err
    assert kept.exists()  # a damaged report is not deleted: nothing is lost


def test_deep_json_in_localpacks_own_state_is_treated_as_damaged(
    run, home: Path, tmp_path: Path, tauri_cli: Path
) -> None:
    """The preflight memo, the runtime metadata and the offline state are remade; the --out manifest refuses
    the folder (it may hold someone else's files)."""
    env = {"LOCALPACK_TAURI": str(tauri_cli)}
    build = ["build", "--url", "https://e.com", "--name", "demo", "--runner", str(CARGO_STANDIN), "--no-preflight"]
    first = run(*build, "--out", str(tmp_path / "d1"), env=env)
    assert first.code == 0, first.err
    metas = list((home / "cache" / "runtimes").glob("*/runtime.json"))
    assert metas
    for meta in metas:
        meta.write_text(deep())
    (home / "cache" / "preflight.json").write_text(deep(50000, "{", "}"))
    (home / "cache" / "offline").mkdir(parents=True, exist_ok=True)
    (home / "cache" / "offline" / "state.json").write_text(deep())
    again = run(*build, "--out", str(tmp_path / "d2"), "--json", env=env)
    assert again.code == 0 and no_traceback(again.text), again.err
    assert json.loads(again.out)["runtime"]["compiled"] is True  # the damaged cached runtime was compiled again
    assert run("cache", "info").code == 0
    out = tmp_path / "d3"
    out.mkdir()
    (out / ".localpack-artifacts.json").write_text('{"files": ' + deep() + "}")
    refused(run(*build, "--out", str(out), env=env), ".localpack-artifacts.json", "damaged")
    assert sorted(p.name for p in out.iterdir()) == [".localpack-artifacts.json"]


def test_a_deep_offline_manifest_is_refused(run, home: Path, tmp_path: Path) -> None:
    for i, manifest in enumerate((deep(), '{"format": "localpack-offline", "schema": 2, "files": ' + deep() + "}")):
        archive = tmp_path / f"offline{i}.tar.gz"
        body = manifest.encode()
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w") as tar:
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        archive.write_bytes(gzip.compress(raw.getvalue()))
        refused(run("offline", "import", str(archive)), str(archive), "manifest.json")
    assert not (home / "cache" / "offline").exists()


# ---------------------------------------------------------------- class 3: strings that cannot be written
SURROGATES = [
    ("name", '{"name": "De\\ud800mo", "url": "https://e.com"}'),
    ("showName", '{"name": "Demo", "showName": "\\udfff", "url": "https://e.com"}'),
    ("desktop.desc", '{"name": "Demo", "url": "https://e.com", "desktop": {"desc": "a\\ud83d"}}'),
    ("customJs", '{"name": "Demo", "url": "https://e.com", "customJs": "alert(\\"\\udc00\\")"}'),
    ("iconPath", '{"name": "Demo", "url": "https://e.com", "iconPath": "\\ud800.png"}'),
]


@pytest.mark.parametrize("field,text", SURROGATES, ids=[f for f, _t in SURROGATES])
def test_lone_surrogates_in_a_ppconfig_are_refused_naming_the_field(
    run, home: Path, tmp_path: Path, field: str, text: str
) -> None:
    source = tmp_path / "ppconfig.json"
    source.write_text(text)
    refused(
        run("init", "--from-pakeplus", str(source), "--dir", str(tmp_path)), str(source), f"at {field}", "surrogate"
    )
    refused(run("render", "--from-pakeplus", str(source)), str(source), f"at {field}", "surrogate")
    assert not (tmp_path / "localpack.toml").exists() and not home.exists()


def test_a_data_icon_without_a_comma_is_not_used_and_said(run, home: Path, tmp_path: Path) -> None:
    for i, icon in enumerate(("data:image/png;base64", "data:", "data:image/svg+xml;utf8")):
        source = tmp_path / f"pp{i}.json"
        source.write_text(json.dumps({"name": "Demo", "url": "https://e.com", "icon": icon}))
        target = tmp_path / f"new{i}"
        target.mkdir()
        r = run("init", "--from-pakeplus", str(source), "--dir", str(target))
        assert r.code == 0 and no_traceback(r.text), r.err
        assert "icon (a data: URL without a ','" in r.err and "built-in icon" in r.err
        assert "\nicon = " not in (target / "localpack.toml").read_text()
        assert sorted(p.name for p in target.iterdir()) == ["localpack.toml"]


def test_text_that_is_not_utf8_on_the_command_line_is_refused(tmp_path: Path, home: Path) -> None:
    """A byte that is not UTF-8 in an argument arrives as a lone surrogate; it could never be written to app.json."""
    for flag, key in (
        (b"--title", "app.title"),
        (b"--description", "app.description"),
        (b"--user-agent", "window.user_agent"),
    ):
        proc = subprocess.run(
            [
                sys.executable.encode(),
                b"-m",
                b"localpack",
                b"render",
                b"--url",
                b"https://e.com",
                b"--name",
                b"a",
                flag,
                b"caf\xe9",
            ],
            cwd=tmp_path,
            capture_output=True,
            check=False,
            env={**os.environ, "LOCALPACK_HOME": str(home)},
        )
        refused(Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode()), key, "UTF-8")
    assert not home.exists()


# ---------------------------------------------------------------- class 4: integers beyond Python's digit limit
HUGE_NUMBERS = [
    ("window.width", f"[window]\nwidth = {HUGE}\n", "at most 100000"),
    ("window.height", f"[window]\nheight = -{HUGE}{HUGE}\n", "at most 100000"),
    ("window.zoom", f"[window]\nzoom = {HUGE}\n", "from 20 to 500"),
    ("window.min_width", f"[window]\nmin_width = +{HUGE[:-1]}_9\n", "at most 100000"),
    ("window.max_height", "[window]\nmax_height = 18446744073709551616\n", "at most 100000"),
]


@pytest.mark.parametrize("key,text,rule", HUGE_NUMBERS, ids=[k for k, _t, _r in HUGE_NUMBERS])
def test_huge_integers_are_refused_with_the_keys_range(
    run, home: Path, tmp_path: Path, key: str, text: str, rule: str
) -> None:
    work = tmp_path / "work"
    config = write_config(work, f'[app]\nname = "a"\nurl = "https://e.com"\ntitle = "{"9" * 5000}"\n{text}')
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    for args in (
        ["render", str(config)],
        ["build", str(config), "--no-preflight", "--runner", str(CARGO_STANDIN)],
        ["ci", "init", str(config)],
    ):
        error = refused(run(*args, cwd=work), str(config), key, rule)
        assert len(error) < 400  # the digits are not printed back
    assert sorted(p.name for p in work.iterdir()) == [".git", "localpack.toml"] and not home.exists()


# ---------------------------------------------------------------- class 5: file-system errors
@contextlib.contextmanager
def small_disk(tmp_path: Path, mode: str) -> Iterator[tuple[Path, Callable[[], str]]]:
    """A folder and a function that makes its disk full. "tmpfs": a tiny tmpfs of its own, filled to the last
    byte (needs root: skipped without); "fsize": a folder of the normal disk, and the children get RLIMIT_FSIZE
    (the kernel's EFBIG on a write past it, the same code path). The function returns the strerror a command
    must then name ("" in the RLIMIT_FSIZE case)."""
    mount = tmp_path / "full"
    mount.mkdir()
    mounted = (
        mode == "tmpfs"
        and os.geteuid() == 0
        and shutil.which("mount")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k,nr_inodes=400", "tmpfs", str(mount)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if mode == "tmpfs" and not mounted:
        pytest.skip("mounting a tmpfs needs root")

    def fill() -> str:
        if not mounted:
            return ""
        with contextlib.suppress(OSError), open(mount / "filler", "wb") as f:  # until the disk is full
            while True:
                f.write(b"\0" * 1024)
                f.flush()
        return os.strerror(errno.ENOSPC)

    try:
        yield mount, fill
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount)], check=False)


def run_limited(
    args: list[str],
    home: Path,
    cwd: Path,
    fsize: bool,
    stdin: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Result:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (16, 16))  # less than any file the commands write

    proc = subprocess.run(
        [sys.executable, "-m", "localpack", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=limit if fsize else None,
        check=False,
        env={**os.environ, "LOCALPACK_HOME": str(home), **(extra_env or {})},
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize("mode", ["tmpfs", "fsize"])
def test_a_full_disk_is_one_line_naming_the_path_and_the_cause(tmp_path: Path, tauri_cli: Path, mode: str) -> None:
    picture = tmp_path / "icon.png"
    from PIL import Image

    Image.new("RGB", (512, 512), (200, 30, 30)).save(picture)
    with small_disk(tmp_path, mode) as (full, fill):
        home = full / "home"
        env = {"LOCALPACK_TAURI": str(tauri_cli)}
        (full / "project").mkdir()
        old_config = tmp_path / "keep.toml"
        old_config.write_text('[app]\nname = "keep"\nurl = "https://e.com"\n')
        shutil.copy(old_config, full / "project" / "localpack.toml")
        cause = fill()
        fsize = not cause
        cause = cause or os.strerror(errno.EFBIG)
        cases = [
            (["render", "--url", "https://e.com", "--name", "demo"], 2, None),
            (["render", "--url", "https://e.com", "--name", "demo", "--out", str(full / "out")], 2, None),
            (["init", "--url", "https://e.com", "--name", "demo", "--dir", str(full / "project"), "--force"], 2, None),
            (["token", "set", "--stdin"], 2, "ghp_" + "b" * 36 + "\n"),
            (["icon", str(picture), "--out", str(full / "icons")], 2, None),
            (
                [
                    "build",
                    "--url",
                    "https://e.com",
                    "--name",
                    "demo",
                    "--no-preflight",
                    "--runner",
                    str(CARGO_STANDIN),
                    "--out",
                    str(tmp_path / "dist"),
                ],
                3,
                None,
            ),
        ]
        for args, code, stdin in cases:
            r = run_limited(args, home, tmp_path, fsize, stdin, env)
            error = refused(r, cause, code=code)
            named = error.removeprefix("error: cannot write ").split(":")[0]
            assert named.startswith((str(full), str(home), "/tmp")), error  # a path, where it could not write
        # nothing half-written: the config that was there is unchanged, no token, no staging folder left
        assert (full / "project" / "localpack.toml").read_text() == old_config.read_text()
        assert sorted(p.name for p in (full / "project").iterdir()) == ["localpack.toml"]
        assert not (home / "config" / "github-token").exists()
        workspaces = home / "cache" / "workspaces"
        assert not workspaces.exists() or all(p.name.endswith(".lock") for p in workspaces.iterdir())
        assert not (full / "out").exists() and not any(p.name.startswith(".out.") for p in full.iterdir())


def test_localpack_home_that_is_a_file_is_refused(run, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    for home, words in (
        (a_file, ["is a file"]),
        (a_file / "below", [f"is under {a_file}"]),
        (Path(NOBODY) / "h", [NOBODY, "no user"]),
    ):
        for args in (
            ["render", "--url", "https://e.com", "--name", "a"],
            ["token", "status"],
            ["cache", "info"],
            ["doctor", "--json"],
        ):
            r = run(*args, env={"LOCALPACK_HOME": str(home)})
            refused(r, "LOCALPACK_HOME", *words)
    assert a_file.read_text() == "not a folder"


# ---------------------------------------------------------------- class 6: init derives a valid name
@pytest.mark.parametrize(
    "url,name",
    [
        ("https://build.com", "build-app"),
        ("https://www.deps.io/x", "deps-app"),
        ("https://examples.org", "examples-app"),
        ("http://incremental.dev:8080", "incremental-app"),
    ],
)
def test_init_derives_a_name_it_accepts_from_a_url(run, home: Path, tmp_path: Path, url: str, name: str) -> None:
    r = run("init", "--url", url, "--dir", str(tmp_path))
    assert r.code == 0, r.err
    text = (tmp_path / "localpack.toml").read_text()
    assert f'name = "{name}"' in text
    assert run("render", str(tmp_path / "localpack.toml")).code == 0


def test_init_derives_a_name_it_accepts_from_a_folder_and_a_pakeplus_project(run, home: Path, tmp_path: Path) -> None:
    for folder, name in (
        (tmp_path / "deps", "deps-app"),
        (tmp_path / "build" / "dist", "build-app"),
        (tmp_path / "examples" / "public", "examples-app"),
    ):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("<p>x</p>")
        target = tmp_path / f"cfg-{name}-{folder.name}"
        target.mkdir()
        r = run("init", "--dist", str(folder), "--dir", str(target))
        assert r.code == 0, r.err
        assert f'name = "{name}"' in (target / "localpack.toml").read_text()
    source = tmp_path / "ppconfig.json"
    source.write_text(json.dumps({"name": "Build", "url": "https://e.com"}))
    target = tmp_path / "pp"
    target.mkdir()
    r = run("init", "--from-pakeplus", str(source), "--dir", str(target))
    assert r.code == 0 and 'name = "build-app"' in (target / "localpack.toml").read_text(), r.err
