"""Hostile input through `localpack ui` (issue 21, class 22): what the CLI refuses with exit 2, the pages refuse
next to the field (400), a body past the limit gets 413 with the limit, and never 500; a refused PakePlus upload
does not stay in the chosen folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

from tests.ui_server import UiServer

NOBODY = "~no-such-user-lp21"
MiB = 1 << 20


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tauri_cli: Path):
    base = tmp_path_factory.mktemp("ui-hostile")
    folder = base / "work"
    folder.mkdir()
    (folder / "web").mkdir()
    (folder / "web" / "index.html").write_text("<h1>hi</h1>")
    s = UiServer(base / "lphome", folder, {"LOCALPACK_TAURI": str(tauri_cli)})
    yield s
    s.stop()


def error_of(html: str, key: str) -> str:
    """The text of the field error the New app page shows under `key`."""
    found = re.search(
        r'<p class="error" id="e-' + key.replace(".", "-").replace("_", "-") + r'"[^>]*>(.*?)</p>', html, re.DOTALL
    )
    assert found, f"no field error for {key}"
    return found.group(1)


FIELDS = [
    ("app.dist", "we\x00b", "NUL", "dist"),
    ("app.dist", f"{NOBODY}/web", "cannot be expanded", "dist"),
    ("behavior.download_dir", "d\x00", "NUL", "url"),
    ("behavior.inject", f"ok.css\n{NOBODY}/a.js", "cannot be expanded", "url"),
    ("window.width", "9" * 5000, "at most 100000", "url"),
    ("window.zoom", "-" + "9" * 4400, "from 20 to 500", "url"),
    ("window.min_height", "1" + "0" * 40, "at most 100000", "url"),
    ("window.user_agent", "UA\x00", "NUL", "url"),
]


@pytest.mark.parametrize("key,value,rule,source", FIELDS, ids=[f"{k}:{r}" for k, _v, r, _s in FIELDS])
def test_hostile_values_are_errors_next_to_their_field(
    server: UiServer, key: str, value: str, rule: str, source: str
) -> None:
    s = server.session()
    target = server.folder / "new"
    target.mkdir(exist_ok=True)
    form = {
        "source": source,
        "app.url": "https://example.com",
        "app.dist": str(server.folder / "web"),
        "app.name": "demo",
        "directory": str(target),
        key: value,
    }
    r = s.post(server.base + "/new", data=form, timeout=30)
    assert r.status_code == 400, r.text[:500]
    assert rule in error_of(r.text, key)
    assert "9" * 100 not in r.text.replace(value, "")  # the digits are shown in the field, not in the message
    assert list(target.iterdir()) == []


def test_a_path_that_cannot_be_one_is_never_a_500(server: UiServer) -> None:
    s = server.session()
    form = {"source": "url", "app.url": "https://example.com", "app.name": "demo", "directory": "x\x00y"}
    r = s.post(server.base + "/new", data=form, timeout=30)
    assert r.status_code == 400 and "NUL byte" in r.text
    form["directory"] = str(server.folder / ("😀" * 100))  # 400 bytes: longer than a file name may be
    r = s.post(server.base + "/new", data=form, timeout=30)
    assert r.status_code == 400 and "File name too long" in r.text
    r = s.post(server.base + "/import", data={"directory": f"{NOBODY}/d", "path": "p.json"}, timeout=30)
    assert r.status_code == 400 and NOBODY in r.text
    r = s.post(server.base + "/build", data={"config": "a\x00.toml"}, timeout=30)
    assert r.status_code == 400 and "NUL byte" in r.text
    r = s.get(server.base + "/derive-name", params={"dist": "a\x00b"}, timeout=30)
    assert r.status_code == 200 and r.json() == {"name": ""}
    r = s.get(server.base + "/derive-name", params={"url": "https://build.com"}, timeout=30)
    assert r.json() == {"name": "build-app"}  # the name init derives, valid


def test_an_icon_past_the_limit_is_refused_with_the_limit(server: UiServer) -> None:
    s = server.session()
    target = server.folder / "icons"
    target.mkdir()
    form = {"source": "url", "app.url": "https://example.com", "app.name": "demo", "directory": str(target)}
    forty = b"\x89PNG\r\n\x1a\n" + b"\0" * (40 * MiB)
    r = s.post(server.base + "/new", data=form, files={"icon_file": ("big.png", forty, "image/png")}, timeout=120)
    assert r.status_code == 413 and "at most 33 MiB" in r.text
    r = s.post(server.base + "/icon-preview", files={"icon_file": ("big.png", forty, "image/png")}, timeout=120)
    assert r.status_code == 413 and "at most 33 MiB" in r.text
    just_over = b"\x89PNG\r\n\x1a\n" + b"\0" * (32 * MiB + 10)  # through the guard, past the upload's own limit
    r = s.post(server.base + "/new", data=form, files={"icon_file": ("big.png", just_over, "image/png")}, timeout=120)
    assert r.status_code == 400 and "at most 32 MiB" in error_of(r.text, "app.icon")
    r = s.post(server.base + "/icon-preview", files={"icon_file": ("big.png", just_over, "image/png")}, timeout=120)
    assert r.status_code == 413 and "at most 32 MiB" in r.json()["error"]
    assert list(target.iterdir()) == []
    uploads = server.home / "cache" / "ui" / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())  # nothing of it kept


def test_a_body_without_a_length_stops_at_the_limit(server: UiServer) -> None:
    s = server.session()

    def chunks():
        boundary = b'--x\r\nContent-Disposition: form-data; name="icon_file"; filename="a.png"\r\n\r\n'
        yield boundary
        for _ in range(40):
            yield b"\0" * MiB

    r = s.post(
        server.base + "/icon-preview",
        data=chunks(),
        timeout=120,
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert r.status_code == 413 and "at most 32 MiB" in r.text


PPCONFIGS = {
    "deep": "[" * 20000 + "]" * 20000,
    "surrogate": '{"name": "De\\ud800mo", "url": "https://example.com"}',
    "nul-icon-path": json.dumps({"name": "Demo", "url": "https://example.com", "iconPath": "a\u0000.png"}),
    "nobody-html-path": json.dumps({"name": "Demo", "isHtml": True, "htmlPath": f"{NOBODY}/www"}),
    "not-json": "{name: Demo}",
    "huge-number": '{"name": "Demo", "url": "https://example.com", "width": ' + "9" * 5000 + "}",
}


@pytest.mark.parametrize("case", PPCONFIGS)
def test_a_refused_pakeplus_upload_does_not_stay_in_the_folder(server: UiServer, case: str) -> None:
    s = server.session()
    target = server.folder / f"import-{case}"
    target.mkdir()
    r = s.post(
        server.base + "/import",
        data={"directory": str(target)},
        files={"ppconfig": ("ppconfig.json", PPCONFIGS[case].encode(), "application/json")},
        timeout=60,
    )
    assert r.status_code == 400 and 'class="error"' in r.text, r.text[:300]
    assert list(target.iterdir()) == []


def test_a_converted_upload_stays_and_a_file_that_was_there_is_never_removed(server: UiServer) -> None:
    s = server.session()
    target = server.folder / "import-ok"
    target.mkdir()
    good = json.dumps({"name": "Demo", "url": "https://example.com"}).encode()
    r = s.post(
        server.base + "/import",
        data={"directory": str(target)},
        files={"ppconfig": ("ppconfig.json", good, "application/json")},
        timeout=60,
    )
    assert r.status_code == 200, r.text[:300]
    assert sorted(p.name for p in target.iterdir()) == ["localpack.toml", "ppconfig.json"]
    mine = server.folder / "import-mine"
    mine.mkdir()
    bad = PPCONFIGS["deep"].encode()
    (mine / "ppconfig.json").write_bytes(bad)  # the user's own file, the same bytes as the upload
    r = s.post(
        server.base + "/import",
        data={"directory": str(mine)},
        files={"ppconfig": ("ppconfig.json", bad, "application/json")},
        timeout=60,
    )
    assert r.status_code == 400 and (mine / "ppconfig.json").read_bytes() == bad


def test_damaged_records_do_not_break_the_history(server: UiServer) -> None:
    builds = server.home / "state" / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    base = {"schema": 1, "app": "demo", "ok": False, "started": "2026-12-01T00:00:00Z"}
    planted = {
        "demo-20261201T000000000001": "[" * 30000 + "]" * 30000,
        "demo-20261201T000000000002": json.dumps({**base, "id": "demo-20261201T000000000002", "artifacts": [1, "x"]}),
        "demo-20261201T000000000003": json.dumps(
            {**base, "id": "demo-20261201T000000000003", "config": {"report": "x"}}
        ),
        "demo-20261201T000000000004": json.dumps(
            {**base, "id": "demo-20261201T000000000004", "title": "\\ud800"}
        ).replace("\\\\ud800", "\\ud800"),
        "demo-20261201T000000000005": json.dumps(
            {**base, "id": "demo-20261201T000000000005", "error": {"message": "it broke"}}
        ),  # keys missing: shown
    }
    for stem, text in planted.items():
        (builds / f"{stem}.json").write_text(text)
    s = server.session()
    r = s.get(server.base + "/history", timeout=30)
    assert r.status_code == 200
    listed = set(re.findall(r'href="/history/([^"]+)"', r.text))
    assert "demo-20261201T000000000005" in listed
    assert not listed & {
        "demo-20261201T000000000001",
        "demo-20261201T000000000002",
        "demo-20261201T000000000003",
        "demo-20261201T000000000004",
    }
    for stem in planted:
        r = s.get(server.base + f"/history/{stem}", timeout=30)
        assert r.status_code == (200 if stem.endswith("5") else 404), (stem, r.text[:300])
    assert "it broke" in s.get(server.base + "/history/demo-20261201T000000000005", timeout=30).text
    assert requests.get(server.base + "/history", timeout=10).status_code == 403  # still guarded
