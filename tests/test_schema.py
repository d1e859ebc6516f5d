"""localpack.toml's JSON Schema: made from the model and its rules, shipped as committed, accepting every
config localpack accepts and refusing what it refuses (where a schema can say so); and `init`'s commented
file names every key with an example that is valid."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from localpack.config import model, rules, schema
from localpack.config.init_file import write_initial_config
from localpack.errors import ConfigError
from tests.test_config import BAD

VALIDATOR = jsonschema.Draft7Validator(json.loads(schema.SCHEMA_FILE.read_text(encoding="utf-8")))
DATA = Path(__file__).resolve().parent / "data" / "pakeplus"


def schema_errors(text: str) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(tomllib.loads(text))]


def test_the_shipped_schema_is_the_one_the_code_makes() -> None:
    assert schema.SCHEMA_FILE.read_text(encoding="utf-8") == schema.text(), (
        "run `python -m localpack.config.schema` and commit localpack/config/localpack.schema.json"
    )
    jsonschema.Draft7Validator.check_schema(schema.json_schema())


def test_every_key_is_in_the_schema_with_its_default() -> None:
    props = schema.json_schema()["properties"]
    for name, cls in model.SECTIONS.items():
        for f in dataclasses.fields(cls):
            entry = props[name]["properties"][f.name]
            if f.default is not None:
                assert entry["default"] == (list(f.default) if isinstance(f.default, tuple) else f.default)


FULL = """
[app]
name = "full-app"
title = "Full 应用 \\"quoted\\""
identifier = "org.example.full"
version = "2.3.4"
description = "line one\\nline two"
url = "https://example.com/app?x=1#top"
icon_round = true
dist_include = [".htaccess", "assets/.keep"]

[window]
width = 1000
height = 700
min_width = 400
min_height = 300
max_width = 3000
max_height = 2000
resizable = false
fullscreen = true
maximized = true
always_on_top = true
decorations = false
center = false
hide_title_bar = true
zoom = 125
user_agent = "UA/1 中文"
incognito = true
proxy = "socks5://127.0.0.1:1080"
theme = "dark"
zoom_hotkeys = false
title_from_page = false
new_window = "new"

[behavior]
single_instance = false
remember_window = false
external_links = "app"
internal_hosts = ["*.example.com", "accounts.google.com"]
hide_selectors = [".ad", "#side > .promo"]
devtools = true
reload_shortcut = false
retry_page = false
tray = true
hide_on_close = true
start_hidden = true
autostart = true
context_menu = false
inject_jquery = true
downloads = false
download_dir = "~/Saved downloads"
find_in_page = false
activation_shortcut = "CmdOrCtrl+Shift+K"
open_schemes = ["zoommtg", "msteams"]
signin_hosts = ["login.example.org", "idp.example.net/sso"]
notifications = "deny"
permissions = ["camera", "microphone", "geolocation"]
trusted_certificates = ["intranet.example=AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB"]

[bundle]
targets = ["deb", "rpm"]
publisher = "Example Ltd"
category = "developer tool"
copyright = "© 2026"
license = "MIT OR Apache-2.0"
long_description = "More."
keywords = ["chat", "聊天"]

[report]
repo = "owner/name"
"""


def valid_configs(tmp_path: Path) -> dict[str, Path]:
    """Configs localpack accepts: every key set, init's files (url, dist, each real PakePlus import)."""
    texts = {
        "full": FULL,
        "minimal": '[app]\nname = "a"\nurl = "https://e.com"\n',
        "empty optional text": '[app]\nname = "a"\nurl = "https://e.com"\ntitle = "T"\n[bundle]\ncategory = ""\n'
        '[behavior]\nactivation_shortcut = ""\n[report]\nrepo = ""\n',
    }
    configs = {}
    for label, text in texts.items():
        configs[label] = tmp_path / f"{label.replace(' ', '-')}.toml"
        configs[label].write_text(text, encoding="utf-8")
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<h1>hi</h1>")
    for label, kwargs in (("init url", {"url": "https://example.com"}), ("init dist", {"dist": web})):
        folder = tmp_path / label.replace(" ", "-")
        folder.mkdir()
        configs[label] = write_initial_config(
            folder, name=None, title=None, force=False, url=kwargs.get("url"), dist=kwargs.get("dist"), warn=print
        )
    for case in sorted(p for p in DATA.iterdir() if p.is_dir()):
        repo = tmp_path / case.name
        shutil.copytree(case, repo)
        (repo / "src").mkdir()
        (repo / "src" / "index.html").write_text("x")
        path = write_initial_config(
            repo,
            url=None,
            dist=None,
            name=None,
            title=None,
            force=False,
            from_pakeplus=repo / "scripts" / "ppconfig.json",
            warn=print,
        )
        configs[f"pakeplus {case.name}"] = path
    return configs


def test_the_schema_accepts_every_config_localpack_accepts(tmp_path: Path) -> None:
    for label, path in valid_configs(tmp_path).items():
        model.load(path, require_file=True)  # localpack accepts it
        assert schema_errors(path.read_text(encoding="utf-8")) == [], label


# What only localpack can check: the file system, two keys' numbers, TOML syntax, the files' content.
LOCALPACK_ONLY = (
    "existing image",
    "existing folder",
    ".js or .css",
    "does not exist",
    "must not exceed",
    "below",
    "is a file",
    "cannot be expanded",
    "not valid TOML",
    "index.html",
    "UTF-8",
)
SCHEMA_CHECKS = [b for b in BAD if not any(word in b[1] + b[2] for word in LOCALPACK_ONLY)]


@pytest.mark.parametrize("text,key,rule", SCHEMA_CHECKS, ids=[b[1] + ":" + b[2] for b in SCHEMA_CHECKS])
def test_the_schema_refuses_what_localpack_refuses(text: str, key: str, rule: str) -> None:
    assert schema_errors(text + "\n"), f"the schema accepts a config localpack refuses ({key} {rule})"


MORE_BAD = [
    '[app]\nname = "a"\nurl = "https://e.com"\ndist = "./web"\n',  # both sources
    '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nhide_on_close = true\ntray = false\n',
    '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\nactivation_shortcut = "Ctrl+Quote"\n',
    '[app]\nname = "a"\nurl = "https://e.com"\n[behavior]\ndownloads = "yes"\n',
    '[app]\nname = "a"\nurl = "https://e.com"\n[window]\nnew_window = "tab"\n',
    '[app]\nname = "a"\nurl = "https://e.com"\n[bundle]\ntargets = "deb"\n',
    '[app]\nname = "a"\nurl = "https://e.com"\ntitle = "a\\u0007b"\n',
    "[window]\nwidth = 800\n",  # no [app]
]


@pytest.mark.parametrize("text", MORE_BAD)
def test_the_schema_refuses_more_bad_configs(text: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        model.load(path, require_file=True)
    assert schema_errors(text)


def test_the_shortcut_pattern_says_what_the_rule_says() -> None:
    pattern = re.compile(rules.shortcut.schema["pattern"])
    tokens = [
        "Ctrl",
        "shift",
        "ALT",
        "Super",
        "CmdOrCtrl",
        "Option",
        "K",
        "f5",
        "Space",
        "Quote",
        "F24",
        "Num5",
        "MediaPlayPause",
        "Spce",
        "",
        " ",
        "Digit1",
        "`",
        "+",
    ]
    seen = 0
    for a in tokens:
        for b in tokens:
            for c in ("", "K", "Shift", " F12 "):
                value = "+".join(t for t in (a, b, c) if t or c == "")
                seen += 1
                assert (rules.shortcut(value) is None) == bool(pattern.match(value)), repr(value)
    assert seen > 1000


def test_init_names_every_key_with_a_valid_example(tmp_path: Path) -> None:
    text = write_initial_config(
        tmp_path, url="https://example.com", dist=None, name=None, title=None, force=False, warn=print
    ).read_text(encoding="utf-8")
    assert text.splitlines()[0] == schema.directive()
    section = ""
    examples: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        match = re.match(r"^#? ?([a-z_]+) = (.+?)(?:  # .*)?$", line)
        if match and section:
            examples[f"{section}.{match[1]}"] = match[2]
    keys = {f"{s}.{f.name}" for s, cls in model.SECTIONS.items() for f in dataclasses.fields(cls)}
    assert keys <= set(examples), keys - set(examples)
    needs_files = {"app.dist", "app.icon", "behavior.inject", "app.url"}
    for key in sorted(keys - needs_files):
        section, name = key.split(".")
        extra = "tray = true\n" if name in model.NEEDS_TRAY else ""
        body = '[app]\nname = "a"\nurl = "https://e.com"\n' if section != "app" else '[app]\nurl = "https://e.com"\n'
        if section == "app":
            body += f"{name} = {examples[key]}\n" + ("" if name == "name" else 'name = "a"\n')
        else:
            body += f"[{section}]\n{name} = {examples[key]}\n{extra}"
        path = tmp_path / "example.toml"
        path.write_text(body, encoding="utf-8")
        model.load(path, require_file=True)
        assert schema_errors(body) == [], key
