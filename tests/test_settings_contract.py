"""The runtime's settings contract, in both languages (marker `rust`): localpack writes `localpack/app.json` from
Python (`project/app_settings.py`, through the real render) for a set of configs, and the runtime's own
`cargo test` reads each file with the struct the app reads at start-up (`runtime/src/settings.rs`, which refuses
unknown keys) and checks that it holds every field. A key added on one side only fails here."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import tomli_w

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib


from localpack.config import keys, model
from localpack.project import render
from tests.test_rust import cargo, tail
from tests.test_schema import FULL

pytestmark = pytest.mark.rust

# Every key at a value other than its default: the schema tests' full config, with the two keys that name files
# (a url app; `app.dist` is the local app's below).
_FULL = tomllib.loads(FULL)
_FULL["app"]["icon"] = "icon.png"
_FULL["behavior"]["inject"] = ["extra.css", "extra.js"]
EVERY_KEY = tomli_w.dumps(_FULL)

DEFAULTS_DIST = """
[app]
name = "local-app"
dist = "web"
"""

CJK = """
[app]
name = "cjk-app"
title = "日本語のアプリ 🚀 「引用」"
description = "中文说明，한국어 설명"
url = "https://例え.jp/パス?検索=語"

[window]
user_agent = "アプリ/1.0"

[behavior]
internal_hosts = ["*.例え.テスト", "한국.kr"]
hide_selectors = ["#広告", "[title='バナー']"]
inject = ["スクリプト.js", "見た目.css"]
download_dir = "ダウンロード"
activation_shortcut = "Alt+Shift+Space"
"""

_BIG = 100_000  # the largest window size the config takes (config/rules.py `positive`)
LARGEST = f"""
[app]
name = "{"a" + "b" * 62}"
title = "{"T" * 4000}"
version = "18446744073709551615.18446744073709551615.18446744073709551615"
url = "https://{"s" * 63}.{"d" * 63}.example.com/{"p" * 2000}"

[window]
width = {_BIG}
height = {_BIG}
min_width = 1
min_height = 1
max_width = {_BIG}
max_height = {_BIG}
zoom = 500
user_agent = "{"U" * 2000}"

[behavior]
internal_hosts = [{", ".join(f'"h{i}.example.com"' for i in range(300))}]
hide_selectors = [{", ".join(f'".c{i}"' for i in range(300))}]
"""

CONFIGS = {
    "every-key": EVERY_KEY,
    "defaults-url": '[app]\nname = "plain"\nurl = "https://example.com"\n',
    "defaults-dist": DEFAULTS_DIST,
    "cjk": CJK,
    "largest": LARGEST,
}


def write_app_json(folder: Path, name: str, text: str, out: Path) -> None:
    """The app.json the real render writes for this config (with the files it names beside it)."""
    folder.mkdir(parents=True)
    (folder / "web").mkdir()
    (folder / "web" / "index.html").write_text("<h1>local</h1>\n", encoding="utf-8")
    (folder / "extra.css").write_text("body { margin: 0; }\n", encoding="utf-8")
    (folder / "extra.js").write_text("console.log('extra');\n", encoding="utf-8")
    (folder / "見た目.css").write_text("body { color: #333; }\n", encoding="utf-8")
    (folder / "スクリプト.js").write_text("console.log('こんにちは');\n", encoding="utf-8")
    from PIL import Image

    Image.new("RGBA", (64, 64), (20, 120, 200, 255)).save(folder / "icon.png")
    (folder / "localpack.toml").write_text(text, encoding="utf-8")
    cfg = model.load(folder / "localpack.toml", require_file=True)
    files = render.render(cfg, jquery=b"/* jQuery */")
    (out / f"{name}.json").write_bytes(files[f"{render.RESOURCES}/app.json"])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("settings")
    out = base / "app-json"
    out.mkdir()
    for name, text in CONFIGS.items():
        write_app_json(base / name, name, text, out)
    return out


def read_with_cargo(folder: Path) -> subprocess.CompletedProcess[str]:
    return cargo("test", "--locked", "--", "settings::", "--nocapture", env={"LOCALPACK_SETTINGS_DIR": str(folder)})


def test_the_every_key_config_sets_every_key() -> None:
    data = tomllib.loads(EVERY_KEY)
    given = {f"{section}.{key}" for section, body in data.items() for key in body}
    wanted = {k.dotted for k in keys.KEYS} - {"app.dist"}
    assert given == wanted, f"add each new key to EVERY_KEY at a value other than its default: {wanted - given}"
    assert all(keys.BY_DOTTED[d].default != data[d.split(".")[0]][d.split(".")[1]] for d in given)


def test_the_runtime_reads_every_app_json_localpack_writes(written: Path) -> None:
    done = read_with_cargo(written)
    assert done.returncode == 0, tail(done)
    for name in CONFIGS:
        assert f"read {written / name}.json" in done.stdout, tail(done)


def test_a_key_localpack_writes_that_the_runtime_lacks_fails(written: Path, tmp_path: Path) -> None:
    settings = json.loads((written / "every-key.json").read_text(encoding="utf-8"))
    settings["tray"]["blink"] = True  # as if Python had a new key the runtime does not read
    (tmp_path / "extra.json").write_text(json.dumps(settings), encoding="utf-8")
    done = read_with_cargo(tmp_path)
    assert done.returncode != 0 and "unknown field `blink`" in done.stdout + done.stderr, tail(done)


def test_a_field_the_runtime_reads_that_localpack_does_not_write_fails(written: Path, tmp_path: Path) -> None:
    settings = json.loads((written / "every-key.json").read_text(encoding="utf-8"))
    del settings["autostart"]  # as if the runtime had a new field the Python side never writes
    (tmp_path / "short.json").write_text(json.dumps(settings), encoding="utf-8")
    done = read_with_cargo(tmp_path)
    assert (
        done.returncode != 0 and "the keys localpack writes are not the runtime's fields" in done.stdout + done.stderr
    )
