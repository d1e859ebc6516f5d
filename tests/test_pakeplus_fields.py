"""The PakePlus field map (config/pakeplus/fields.py), the messages as data, and the cache writer of
`--from-pakeplus` (project/pakeplus_files.py), without running the CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from localpack.config import keys, pakeplus
from localpack.config.pakeplus import fields
from localpack.project import pakeplus_files
from tests.test_pakeplus import ppconfig
from tests.test_pakeplus_real import CASES, DATA, SHOWN, checkout
from tests.test_pakeplus_real import fields as paths_of

ROWS = (*fields.SPECIAL, *fields.PLAIN, *fields.COPIED)


def sources(tmp_path: Path) -> list[Path]:
    """Every test ppconfig: the real ones (tests/data/pakeplus) and the one test_pakeplus.py writes."""
    return [checkout(tmp_path, case) / SHOWN for case in CASES] + [ppconfig(tmp_path / "synthetic")]


@pytest.mark.parametrize("has_source", [False, True])
def test_every_field_of_every_test_ppconfig_ends_in_exactly_one_fate(tmp_path: Path, has_source: bool) -> None:
    for source in sources(tmp_path):
        data = json.loads(source.read_text(encoding="utf-8-sig"))
        imported = pakeplus.convert(data, source.resolve(), has_source=has_source)
        for path in paths_of(data):
            assert imported.fates.get(path) in pakeplus.FATES, (source, path)


def test_a_desktop_section_of_another_project_is_ignored_field_by_field(tmp_path: Path) -> None:
    source = (DATA / "v2.1.5" / SHOWN).resolve()
    data = json.loads(source.read_text(encoding="utf-8"))
    data["desktop"].update(name="PakePlus", single=False, tauriApi=True)
    imported = pakeplus.convert(data, source)
    assert all(imported.fates[f"desktop.{key}"] == pakeplus.IGNORED for key in data["desktop"])
    assert imported.fates["desktop"] == pakeplus.NAMED


def test_the_map_has_no_path_twice() -> None:
    twice = [path for path, n in Counter(row.path for row in ROWS).items() if n > 1]
    assert not twice
    assert len(pakeplus.FIELDS) == len(ROWS)


def test_every_target_is_a_config_key() -> None:
    unknown = [(row.path, row.target) for row in ROWS if row.target and row.target not in keys.BY_DOTTED]
    assert not unknown


def test_every_row_is_complete() -> None:
    for row in ROWS:
        assert row.fate in (*pakeplus.FATES, None), row.path
        assert row.fate != pakeplus.MAPPED or row.target, f"{row.path}: mapped to no key"
        assert all(kind in fields._TYPES for kind in row.kinds), row.path


def test_every_keys_pakeplus_source_is_mapped_to_that_key() -> None:
    declared = [(source, key.dotted) for key in keys.KEYS for source in key.pakeplus]
    assert declared, "keys.KEYS declares no PakePlus copy"
    for source, dotted in declared:
        row = pakeplus.FIELDS[source]
        assert (row.fate, row.target) == (pakeplus.MAPPED, dotted), source
    assert fields.COPIES == {key.dotted: key.pakeplus for key in keys.KEYS if key.pakeplus}
    # Two sources are always the desktop section's copy, then the stale top-level one (the note says so).
    for dotted, paths in fields.COPIES.items():
        assert len(paths) == 1 or (len(paths) == 2 and paths[0] == "desktop." + paths[1]), dotted


@pytest.mark.parametrize("value,fate", [(False, pakeplus.IGNORED), (True, pakeplus.NAMED)])
def test_a_setting_without_equivalent_is_named_only_away_from_pakeplus_default(value: bool, fate: str) -> None:
    source = (DATA / "v212" / SHOWN).resolve()
    data = json.loads(source.read_text(encoding="utf-8"))
    data["more"]["windows"]["skipTaskbar"] = value
    imported = pakeplus.convert(data, source)
    assert imported.fates["more.windows.skipTaskbar"] == fate
    assert ("more.windows.skipTaskbar=true" in imported.unmapped) == (fate == pakeplus.NAMED)


@pytest.mark.parametrize("author,publisher", [("pakeplus", None), (" PakePlus ", None), (" Ada ", "Ada")])
def test_desktop_author_is_the_publisher_unless_pakeplus_default(author: str, publisher: str | None) -> None:
    source = (DATA / "v2.2.8-cjk" / SHOWN).resolve()
    data = json.loads(source.read_text(encoding="utf-8"))
    data["desktop"]["author"] = author
    imported = pakeplus.convert(data, source)
    assert imported.values.get("bundle.publisher") == publisher
    assert imported.fates["desktop.author"] == (pakeplus.MAPPED if publisher else pakeplus.IGNORED)


def test_the_messages_are_data_and_the_caller_says_them() -> None:
    imported = pakeplus.Imported(
        values={},
        shown="pp.json",
        notes=["name changed"],
        warnings=["no icon"],
        unmapped=["watermark"],
        ignored=["preview", "desktop.pubBody"],
    )
    assert imported.messages() == [
        pakeplus.Message(pakeplus.INFO, "note: name changed"),
        pakeplus.Message(pakeplus.WARNING, "pp.json: no icon"),
        pakeplus.Message(
            pakeplus.WARNING, "pp.json: PakePlus fields with no localpack equivalent (not imported): watermark"
        ),
        pakeplus.Message(
            pakeplus.INFO,
            "pp.json: not imported, nothing lost (PakePlus bookkeeping or left at "
            "PakePlus's default): preview; desktop: pubBody",
        ),
    ]
    said: list[tuple[str, str]] = []
    pakeplus.tell(imported.messages(), info=lambda t: said.append(("i", t)), warn=lambda t: said.append(("w", t)))
    assert [level for level, _ in said] == ["i", "w", "w", "i"]


def test_from_pakeplus_keeps_its_files_in_the_cache_and_prints_nothing(tmp_path: Path, capsys) -> None:
    source = ppconfig(tmp_path / "pp")
    said: list[str] = []
    cache = tmp_path / "cache"
    values = pakeplus_files.overrides(source, cache, has_source=False, info=said.append, warn=said.append)
    [folder] = (cache / "pakeplus").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["my-chat-app-custom.js", "my-chat-app-icon.png"]
    assert values["app.icon"] == folder / "my-chat-app-icon.png"
    assert values["behavior.inject"] == [folder / "my-chat-app-custom.js"]
    assert any("no localpack equivalent" in text for text in said)
    assert capsys.readouterr().err == ""
    again = pakeplus_files.overrides(source, cache, has_source=False, info=said.append, warn=said.append)
    assert again == values  # the same file: the same folder
