"""`localpack ui` over plain HTTP: nobody but the person who started it drives it, it listens on loopback
only, builds run as CLI builds, Ctrl-C stops them, and only files a build produced are served."""

from __future__ import annotations

import json
import re
from pathlib import Path

import psutil
import pytest
import requests

from tests.conftest import CARGO_STANDIN, no_traceback
from tests.ui_server import UiServer, alive, command_lines, wait_for


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tauri_cli: Path):
    """One server for the tests that only talk to it (each starts in ~1 s)."""
    base = tmp_path_factory.mktemp("ui")
    folder = base / "work"
    folder.mkdir()
    s = UiServer(base / "lphome", folder, {"LOCALPACK_TAURI": str(tauri_cli)})
    yield s
    s.stop()


def test_without_this_runs_key_every_request_gets_403(server: UiServer) -> None:
    for path in ("/", "/new", "/static/app.js", "/history", "/build/x/events", "/?key=wrong"):
        r = requests.get(server.base + path, allow_redirects=False, timeout=10)
        assert r.status_code == 403, path
    r = requests.get(server.base + "/new", cookies={f"localpack-ui-{server.port}": "guess"}, timeout=10)
    assert r.status_code == 403
    assert "the address that `localpack ui` printed" in r.text


def test_the_key_becomes_a_strict_cookie_and_leaves_the_address(server: UiServer) -> None:
    r = requests.get(server.url, allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and server.key in cookie
    s = server.session()
    page = s.get(server.base + "/new", timeout=10)
    assert page.status_code == 200 and server.key not in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_a_foreign_host_header_is_refused(server: UiServer) -> None:
    """DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends its own host name."""
    s = server.session()
    for host in (
        "evil.example",
        f"evil.example:{server.port}",
        f"127.0.0.1:{server.port + 1}",
        f"{server.host}:{server.port + 1}",
        f"other.localhost:{server.port}",
    ):
        assert s.get(server.base + "/new", headers={"Host": host}, timeout=10).status_code == 403, host
    # Not at the loopback addresses either: a cookie set there would reach every other port of the machine.
    for base in (f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}"):
        r = s.get(f"{base}/?key={server.key}", allow_redirects=False, timeout=10)
        assert r.status_code == 403 and "set-cookie" not in r.headers, base


def test_a_change_from_another_origin_is_refused_and_writes_nothing(server: UiServer) -> None:
    s = server.session()
    form = {"source": "url", "app.url": "https://example.com", "directory": str(server.folder)}
    for origin in ("http://evil.example", "null", None):
        headers = {"Origin": origin} if origin else {}
        if origin is None:
            s.headers.pop("Origin")
        r = s.post(server.base + "/new", data=form, headers=headers, timeout=10)
        assert r.status_code == 403, origin
    assert not (server.folder / "localpack.toml").exists()
    s.headers["Origin"] = server.base
    assert s.post(server.base + "/new", data=form, timeout=10).status_code == 200
    assert (server.folder / "localpack.toml").exists()
    (server.folder / "localpack.toml").unlink()


def test_no_cors_headers_are_ever_sent(server: UiServer) -> None:
    s = server.session()
    pre = s.options(
        server.base + "/new",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert pre.status_code == 403
    got = s.get(server.base + "/new", headers={"Origin": "http://evil.example"}, timeout=10)
    for r in (pre, got):
        assert not [h for h in r.headers if h.lower().startswith("access-control-")]


def test_it_listens_on_loopback_only(server: UiServer) -> None:
    listening = [c for c in psutil.Process(server.proc.pid).net_connections("inet") if c.status == psutil.CONN_LISTEN]
    assert listening and {c.laddr.ip for c in listening} <= {"127.0.0.1", "::1"}
    ports = {c.laddr.port for c in listening}
    assert ports == {server.port}  # ::1 too where there is IPv6: nobody else can answer the name there


def start_build(s: requests.Session, server: UiServer, **extra: str) -> str:
    (server.folder / "localpack.toml").write_text('[app]\nname = "ui-demo"\nurl = "https://example.com"\n')
    r = s.post(
        server.base + "/build",
        data={"config": str(server.folder / "localpack.toml"), "targets": "deb", "no_preflight": "on", **extra},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 303, r.text
    return r.headers["location"]


def events(s: requests.Session, server: UiServer, job: str) -> list[dict]:
    with s.get(server.base + job + "/events", stream=True, timeout=120) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        found = [json.loads(line[6:]) for line in r.iter_lines(decode_unicode=True) if line.startswith("data: ")]
    return found


def test_a_build_streams_its_progress_and_serves_only_what_it_produced(server: UiServer) -> None:
    s = server.session()
    job = start_build(s, server)
    seen = events(s, server, job)
    assert seen[-1] == {"event": "end", "state": "ok"}
    phases = [e["phase"] for e in seen if e["event"] == "progress"]
    assert "compiling" in phases and phases[-1] == "done"
    assert any(e["event"] == "progress" and e["crates_done"] for e in seen)
    assert any(e["event"] == "line" and "Compiling" in e["text"] for e in seen)
    page = s.get(server.base + job, timeout=10).text
    deb = server.folder / "dist" / "ui-demo_1.0.0_amd64.deb"
    assert deb.is_file() and "ui-demo_1.0.0_amd64.deb" in page
    got = s.get(server.base + job + "/download/ui-demo_1.0.0_amd64.deb", timeout=10)
    assert got.status_code == 200 and got.content == deb.read_bytes()
    assert re.search(r"[0-9a-f]{64}", page)
    (server.folder / "dist" / "other.txt").write_text("not built")
    (server.folder / "secret.txt").write_text("mine")
    for name in ("SHA256SUMS", "other.txt", "..%2Fsecret.txt", "..%2F..%2Fetc%2Fpasswd"):
        assert s.get(server.base + job + "/download/" + name, timeout=10).status_code == 404, name
    history = s.get(server.base + "/history", timeout=10).text
    [record] = re.findall(r'href="/history/([^"]+)"', history)
    assert s.get(server.base + f"/history/{record}/log", timeout=10).text.startswith("# localpack")
    assert s.get(server.base + "/history/..%2F..%2Fconfig%2Fgithub-token/log", timeout=10).status_code == 404


def test_ctrl_c_stops_the_server_and_its_build_tree(home: Path, tmp_path: Path, tauri_cli: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    server = UiServer(home, folder, {"LOCALPACK_TAURI": str(tauri_cli), "STANDIN_MODE": "hang"})
    try:
        s = server.session()
        start_build(s, server)
        wait_for(lambda: any("time.sleep(600)" in line for line in command_lines(server.descendants())))
        tree = server.descendants()
        assert len(tree) >= 4  # localpack build, the Tauri CLI, the cargo stand-in, its child
    finally:
        err = server.stop()
    assert server.proc.returncode == 0, err
    assert "localpack ui stopped" in err and no_traceback(err)
    assert not alive(tree)


def test_the_token_is_never_sent_back_to_the_page(server: UiServer) -> None:
    home = server.home
    s = server.session()
    secret = "ghp_" + "A1b2C3d4" * 5
    r = s.post(server.base + "/settings", data={"action": "set", "token": secret}, timeout=10)
    assert r.status_code == 200 and secret not in r.text
    assert (home / "config" / "github-token").read_text().strip() == secret
    page = s.get(server.base + "/settings", timeout=10).text
    assert secret not in page and "github-token" in page
    s.post(server.base + "/settings", data={"action": "clear"}, timeout=10)
    assert not (home / "config" / "github-token").exists()


def test_a_failed_build_is_previewed_then_reported(run, home: Path, tmp_path: Path, tauri_cli: Path) -> None:
    from tests.github_server import FakeGitHub

    secret = "ghp_" + "Z9y8X7w6" * 5
    github = FakeGitHub(secret).start()
    failed = run(
        "build",
        "--url",
        "https://example.com",
        "--name",
        "broken",
        "--targets",
        "deb",
        "--no-preflight",
        "--runner",
        str(CARGO_STANDIN),
        env={"LOCALPACK_TAURI": str(tauri_cli), "STANDIN_MODE": "fail"},
    )
    assert failed.code == 3
    folder = tmp_path / "work"
    folder.mkdir()
    server = UiServer(home, folder, {"LOCALPACK_GITHUB_API": github.url, "LOCALPACK_GITHUB_TOKEN": secret})
    try:
        s = server.session()
        [record] = re.findall(r'href="/history/([^"]+)"', s.get(server.base + "/history", timeout=10).text)
        preview = s.post(
            server.base + f"/history/{record}", data={"action": "preview", "repo": "octo/app"}, timeout=30
        ).text
        assert "build failed" in preview and "could not compile" in preview and secret not in preview
        assert not github.issues
        sent = s.post(server.base + f"/history/{record}", data={"action": "send", "repo": "octo/app"}, timeout=30)
        assert sent.status_code == 200 and len(github.issues) == 1
        assert github.issues[0]["title"].startswith("build failed")
    finally:
        server.stop()
        github.stop()
