"""The key descriptors (`config/keys.py`) are well-formed, and every key reaches every place made from them:
the section dataclasses, the CLI's flags, the ui's form, the JSON Schema, `init`'s file and the README."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from localpack.cli.options import OVERRIDES, PAKEPLUS
from localpack.config import docs, keys, model, schema
from localpack.config.init_file import write_initial_config
from localpack.ui import form, i18n

NAMES = [k.dotted for k in keys.KEYS]


def test_keys_are_unique_and_in_known_sections() -> None:
    assert len(set(NAMES)) == len(NAMES)
    assert {k.section for k in keys.KEYS} == set(keys.SECTIONS)
    for k in keys.KEYS:
        assert re.fullmatch(r"[a-z][a-z_]*", k.name), k.dotted


@pytest.mark.parametrize("key", keys.KEYS, ids=NAMES)
def test_a_descriptor_is_well_formed(key: keys.Key) -> None:
    assert key.help and key.help == key.help.strip(), "every key says what it is"
    if key.default is not None:
        assert model._type_error(list(key.default) if key.kind.many else key.default, key) is None
        if key.rule is not None and key.default not in ("", ()):
            assert key.rule(key.default) is None, "the default passes its rule"
    else:
        assert key.optional
    if key.kind is keys.Kind.CHOICE:
        assert key.choices and key.default in key.choices
        assert key.rule is not None and all(key.rule(c) is None for c in key.choices if c)
    else:
        assert key.kind is keys.Kind.TARGETS or not key.choices
    if key.kind.many:
        assert key.default == ()
    for source in key.pakeplus:
        assert re.fullmatch(r"[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)*", source), source


@pytest.mark.parametrize("key", keys.KEYS, ids=NAMES)
def test_the_example_init_shows_is_a_valid_value(key: keys.Key, tmp_path: Path) -> None:
    if key.kind.is_path or key.dotted == "app.url":
        return  # examples of files that do not exist here, and the url the test's body sets itself
    body = '[app]\nurl = "https://e.com"\n' + ('name = "a"\n' if key.dotted != "app.name" else "")
    body += f"[{key.section}]\n" if key.section != "app" else ""
    body += f"{key.name} = {key.toml_example}\n" + ("tray = true\n" if key.name in keys.NEEDS_TRAY else "")
    (tmp_path / "x.toml").write_text(body, encoding="utf-8")
    model.load(tmp_path / "x.toml", require_file=True)


def test_flags_are_unique_and_keep_their_names() -> None:
    flags = [flag for _p, flag, _k, _t, _h in OVERRIDES]
    params = [param for param, *_ in OVERRIDES]
    assert len(set(flags)) == len(flags) and len(set(params)) == len(params)
    assert {key for _p, _f, key, _t, _h in OVERRIDES} == {*NAMES, PAKEPLUS}
    by_key = {key: flag for _p, flag, key, _t, _h in OVERRIDES}
    assert by_key["app.version"] == "--app-version" and by_key["window.width"] == "--width"
    assert by_key["behavior.tray"] == "--tray/--no-tray" and by_key["app.url"] == "--url"


def test_every_key_is_a_typed_field_of_its_section() -> None:
    for section, cls in model.SECTIONS.items():
        fields = {f.name: f for f in dataclasses.fields(cls)}
        assert list(fields) == [k.name for k in keys.of_section(section)]
        for k in keys.of_section(section):
            assert fields[k.name].default == k.default and fields[k.name].metadata["key"] is k
    cfg = model.load(None, {"app.name": "a", "app.url": "https://e.com"})
    assert cfg.window.width == 1200 and cfg.behavior.tray is False


def test_every_key_is_in_the_form_with_its_labels_in_every_catalogue() -> None:
    fields = form.by_key()
    assert set(fields) == set(NAMES)
    for lang in i18n.LANGS:
        ui = i18n.catalogue(lang)["ui"]
        for k in keys.KEYS:
            assert k.label_id in ui, (lang, k.dotted)
            if lang != "en":  # English reads the descriptor's help itself
                assert k.help_id in ui, (lang, k.dotted)
    for k in keys.KEYS:
        assert fields[k.dotted].kind == k.kind.value and fields[k.dotted].doc == k.help


def test_every_key_is_in_the_schema() -> None:
    props = schema.json_schema()["properties"]
    for k in keys.KEYS:
        entry = props[k.section]["properties"][k.name]
        assert entry["description"] == k.help
        assert entry["type"] == (
            "array" if k.kind.many else {int: "integer", bool: "boolean"}.get(k.kind.item, "string")
        )


def test_every_key_is_in_the_init_file(tmp_path: Path) -> None:
    text = write_initial_config(
        tmp_path, url="https://example.com", dist=None, name=None, title=None, force=False, warn=lambda _text: None
    ).read_text(encoding="utf-8")
    section = ""
    seen = set()
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        match = re.match(r"^#? ?([a-z_]+) = ", line)
        if match and section:
            seen.add(f"{section}.{match[1]}")
    assert seen == set(NAMES)


def test_the_readme_key_table_is_current() -> None:
    readme = docs.README.read_text(encoding="utf-8")
    assert docs.with_table(readme) == readme, "run `python -m localpack.config.docs` and commit README.md"
    for k in keys.KEYS:
        assert f"| `{k.dotted}` |" in readme, k.dotted
