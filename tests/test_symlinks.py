"""The one rule for symbolic links in a folder localpack copies (the web app's `dist`, the offline store):
links that stay inside the folder are followed, files and folders alike; links that leave it, point
nowhere or loop are refused with exit 2, naming the link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from localpack.paths import Paths
from tests.conftest import no_traceback
from tests.test_offline import make_crate, prefetched


def web_app(tmp_path: Path) -> Path:
    web = tmp_path / "web"
    (web / "assets" / "img").mkdir(parents=True)
    (web / "index.html").write_text("<h1>app</h1>")
    (web / "assets" / "app.js").write_text("console.log(1)")
    (web / "assets" / "img" / "a.svg").write_text("<svg/>")
    return web


def test_links_inside_the_folder_are_followed(run, tmp_path: Path) -> None:
    web = web_app(tmp_path)
    os.symlink("assets/app.js", web / "main.js")  # a file link
    os.symlink("assets", web / "static")  # a folder link
    os.symlink("../assets/img/a.svg", web / "assets" / "logo.svg")  # relative to where the link is
    r = run("render", "--dist", "web", "--name", "linked", "--out", "ws")
    assert r.code == 0, r.err
    dist = tmp_path / "ws" / "src-tauri" / "localpack" / "web"
    assert (dist / "main.js").read_text() == "console.log(1)" and not (dist / "main.js").is_symlink()
    assert (dist / "static" / "img" / "a.svg").read_text() == "<svg/>"
    assert (dist / "assets" / "logo.svg").read_text() == "<svg/>"


@pytest.mark.parametrize(
    "make,named",
    [
        (lambda web, out: os.symlink("/etc/passwd", web / "passwd.txt"), "passwd.txt"),  # a file outside
        (lambda web, out: os.symlink(out, web / "secrets"), "secrets"),  # a folder outside
        (lambda web, out: os.symlink("../../outside/key.pem", web / "assets" / "key.pem"), "assets/key.pem"),
        (lambda web, out: os.symlink("nowhere.js", web / "gone.js"), "gone.js"),  # dangling
        (lambda web, out: os.symlink("..", web / "assets" / "up"), "assets/up"),  # loops back to web/
        (lambda web, out: os.symlink("loop2", web / "loop1") or os.symlink("loop1", web / "loop2"), "loop1"),
        (lambda web, out: os.mkfifo(web / "pipe"), "pipe"),  # not a file or a folder
    ],
)
def test_links_that_leave_the_folder_are_refused(run, home: Path, tmp_path: Path, make, named: str) -> None:
    web = web_app(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "key.pem").write_text("PRIVATE KEY")
    make(web, outside)
    for command in (["render"], ["build", "--targets", "deb", "--no-preflight"]):
        r = run(*command, "--dist", "web", "--name", "linked", "--out", "out", timeout=60)
        assert r.code == 2 and named in r.err and "hint:" in r.err and no_traceback(r.err), r.err
    assert not (tmp_path / "out").exists() and not home.exists()  # nothing was written anywhere


def test_offline_export_applies_the_same_rule(run, home: Path, tmp_path: Path) -> None:
    store = prefetched(Paths.from_env(), "example")
    make_crate(store.vendor, "otherdep", "2.0.1")
    (tmp_path / "private.txt").write_text("not prefetched data")
    os.symlink(tmp_path / "private.txt", store.vendor / "otherdep-2.0.1" / "leak.txt")
    r = run("offline", "export", str(tmp_path / "offline.tar.gz"))
    assert r.code == 2 and "leak.txt" in r.err and no_traceback(r.err)
    assert not (tmp_path / "offline.tar.gz").exists()
