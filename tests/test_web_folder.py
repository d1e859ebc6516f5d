"""What of a web app's folder reaches the installer: hidden files stay out (one warning names them),
`.well-known/` and what `app.dist_include` names go in; a file name no installer can hold is refused before
the build (exit 2, naming the file). The .deb's data is read with dpkg-deb."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from localpack.config import web_folder
from tests.conftest import CARGO_STANDIN, no_traceback, write_config

BUILD = ["build", "--targets", "deb", "--runner", str(CARGO_STANDIN), "--no-preflight"]
WEB = "/usr/lib/site/localpack/web/"


def deb_paths(deb: Path) -> set[str]:
    out = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    names = subprocess.run(["tar", "-t"], input=out, capture_output=True, check=True).stdout.decode()
    return {"/" + n.removeprefix("./") for n in names.splitlines()}


def site(tmp_path: Path) -> Path:
    web = tmp_path / "web"
    files = {
        "index.html": "<h1>site</h1>",
        "app.js": "1",
        ".well-known/security.txt": "Contact: x",
        ".git/config": "[remote]\nurl = https://token@example.com",
        ".git/objects/ab/cdef": "blob",
        ".env": "API_KEY=1",
        ".env.local": "DB_PASSWORD=2",
        ".DS_Store": "\0",
        ".svn/entries": "12",
        ".hg/store/data": "x",
        "notes.txt~": "backup",
        ".index.html.swp": "swap",
        "#app.js#": "autosave",
        "img/Thumbs.db": "thumbs",
        "img/logo.svg": "<svg/>",
        ".htaccess": "Deny from all",
        "assets/.config/app.json": "{}",
    }
    for rel, text in files.items():
        (web / rel).parent.mkdir(parents=True, exist_ok=True)
        (web / rel).write_text(text)
    os.symlink("ann@host.1234:1700000000", web / ".#index.html")  # emacs's lock: a link to nothing
    return web


def test_hidden_files_are_not_shipped_and_one_warning_names_them(run, tmp_path: Path, tauri_cli: Path) -> None:
    site(tmp_path)
    r = run(*BUILD, "--dist", "web", "--name", "site", env={"LOCALPACK_TAURI": str(tauri_cli)})
    assert r.code == 0, r.err
    shipped = deb_paths(tmp_path / "dist" / "site_1.0.0_amd64.deb")
    web = {p.removeprefix(WEB) for p in shipped if p.startswith(WEB)}
    assert {"index.html", "app.js", ".well-known/security.txt", "img/logo.svg"} <= web
    for hidden in (
        ".git/config",
        ".env",
        ".env.local",
        ".DS_Store",
        ".svn/entries",
        ".hg/store/data",
        "notes.txt~",
        ".index.html.swp",
        "#app.js#",
        "img/Thumbs.db",
        ".htaccess",
        ".#index.html",
        "assets/.config/app.json",
    ):
        assert hidden not in web, hidden
    assert not [p for p in web if p.startswith((".git", ".svn", ".hg"))]
    [warning] = [line for line in r.err.splitlines() if "left out" in line]
    for named in (".git/", ".env", ".env.local", ".DS_Store"):
        assert named in warning
    assert "app.dist_include" in warning and "and " in warning  # more than fit in one line: counted


def test_app_dist_include_ships_what_it_names(run, tmp_path: Path, tauri_cli: Path) -> None:
    site(tmp_path)
    write_config(
        tmp_path, '[app]\nname = "site"\ndist = "web"\ndist_include = [".htaccess", "assets/**/.config", "*.swp"]\n'
    )
    r = run(*BUILD, env={"LOCALPACK_TAURI": str(tauri_cli)})
    assert r.code == 0, r.err
    web = {p.removeprefix(WEB) for p in deb_paths(tmp_path / "dist" / "site_1.0.0_amd64.deb") if p.startswith(WEB)}
    assert {".htaccess", "assets/.config/app.json", ".index.html.swp"} <= web
    assert ".env" not in web and ".git/config" not in web
    [warning] = [line for line in r.err.splitlines() if "left out" in line]
    assert ".htaccess" not in warning and ".env" in warning


@pytest.mark.parametrize("entry", ["/etc/passwd", "../secret", "a/../../b", "C:/x", "a\\b", "", "a//b"])
def test_app_dist_include_stays_inside_the_folder(run, tmp_path: Path, entry: str) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "index.html").write_text("x")
    write_config(tmp_path, f'[app]\nname = "site"\ndist = "web"\ndist_include = [\'{entry}\']\n')  # literal
    r = run("render")
    assert r.code == 2, r.err
    assert "app.dist_include" in r.err and no_traceback(r.err)


NAMES = {  # the name on disk, the rule's words, the name as the error shows it
    "newline": (b"line\nbreak.html", "control character", "'line\\nbreak.html'"),
    "tab": (b"tab\there.js", "control character", "'tab\\there.js'"),
    "not UTF-8": (b"caf\xe9.html", "not UTF-8", "'caf\\xe9.html'"),
    "255 bytes": (b"a" * 250 + b".html", "255 bytes long", "'" + "a" * 250 + ".html'"),
    "247 bytes": (b"b" * 242 + b".html", "247 bytes long", "b" * 242),
    "colon": (b"a:b.html", "Windows", "'a:b.html'"),
    "backslash": (b"a\\b.html", "Windows", "'a\\b.html'"),
    "device": (b"CON.txt", "device name", "'CON.txt'"),
    "trailing dot": (b"page.", "ends with a space or a dot", "'page.'"),
    "in a folder": (b"sub/\xff\xfe", "not UTF-8", "'sub/\\xff\\xfe'"),
}


@pytest.mark.parametrize("case", list(NAMES))
def test_a_name_no_installer_can_hold_is_refused_before_the_build(
    run, tmp_path: Path, home: Path, tauri_cli: Path, case: str
) -> None:
    raw, reason, named = NAMES[case]
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("x")
    target = os.path.join(os.fsencode(web), raw)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(b"x")
    r = run(*BUILD, "--dist", "web", "--name", "site", env={"LOCALPACK_TAURI": str(tauri_cli)})
    assert r.code == 2, r.err
    [line] = [x for x in r.err.splitlines() if x.startswith("error:")]
    assert reason in line and "app.dist" in line and no_traceback(r.err)
    assert named in line  # the file is named, escaped where it is not printable text
    assert not (home / "cache" / "workspaces" / "site").exists()  # refused before anything was rendered
    assert not (tmp_path / "dist").exists()


def test_the_longest_name_allowed_builds_and_rebuilds(run, tmp_path: Path, tauri_cli: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("x")
    longest = web / ("c" * (web_folder.MAX_NAME_BYTES - 5) + ".html")
    longest.write_text("one")
    env = {"LOCALPACK_TAURI": str(tauri_cli)}
    assert run(*BUILD, "--dist", "web", "--name", "site", env=env).code == 0
    longest.write_text("two")  # a changed file is rewritten beside itself: its temporary name must fit too
    r = run(*BUILD, "--dist", "web", "--name", "site", env=env)
    assert r.code == 0, r.err
    assert WEB + longest.name in deb_paths(tmp_path / "dist" / "site_1.0.0_amd64.deb")


@pytest.mark.parametrize(
    "name, left_out",
    [
        (".git", True),
        (".well-known", False),
        (".env", True),
        ("index.html", False),
        ("a~", True),
        ("#a#", True),
        ("a#", False),
        ("THUMBS.DB", True),
        ("x.swp", True),
        ("x.swpx", False),
    ],
)
def test_which_names_are_left_out(name: str, left_out: bool) -> None:
    assert web_folder.is_left_out(name, is_dir=name in (".git", ".well-known")) is left_out
