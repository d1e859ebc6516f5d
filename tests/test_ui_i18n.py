"""The page speaks English and Simplified Chinese: both catalogues have every word the pages use, and every
message localpack's validation and doctor can produce has its Chinese form."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from localpack.ui import form, i18n

PACKAGE = Path(i18n.__file__).resolve().parent.parent
UI = PACKAGE / "ui"


def msg_templates() -> set[str]:
    """Every `Msg("…")` template written in localpack's source."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def fields_of(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def used_ids() -> set[str]:
    """Ids the templates and pages look up with a literal: t('id') / t("id")."""
    ids = set()
    for path in [*UI.glob("templates/*.html"), *UI.rglob("*.py")]:
        ids |= set(re.findall(r"""\bt\(\s*['"]([a-z_]+\.[a-z_.]+|copy|hint)['"]""", path.read_text(encoding="utf-8")))
    return ids


def test_both_languages_have_the_same_words_with_the_same_placeholders() -> None:
    en, zh = i18n.catalogue("en")["ui"], i18n.catalogue("zh-CN")["ui"]
    assert set(en) == {k for k in zh if not k.startswith("help.")}
    for key, text in en.items():
        assert fields_of(zh[key]) == fields_of(text), key


def test_every_word_a_page_uses_is_in_the_catalogue() -> None:
    en = i18n.catalogue("en")["ui"]
    missing = sorted(i for i in used_ids() if i not in en)
    assert not missing, missing
    for section, items in form.fields().items():
        assert f"section.{section}" in en
        for f in items:
            assert f"field.{f.key}" in en, f.key
            if f.doc:
                assert f"help.{f.key}" in i18n.catalogue("zh-CN")["ui"], f.key


def test_every_localpack_message_has_its_chinese_form() -> None:
    messages = i18n.catalogue("zh-CN")["messages"]
    templates = msg_templates()
    assert len(templates) > 40
    missing = sorted(t for t in templates if t not in messages)
    assert not missing, missing
    for template in templates:
        assert fields_of(messages[template]) == fields_of(template), template
    assert not set(messages) - templates, "translations of messages that no longer exist"


@pytest.mark.parametrize(
    "header,lang",
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("zh-TW", "zh-CN"),
        ("fr-FR,fr;q=0.9", "en"),
        ("fr;q=1,zh;q=0.5,en;q=0.4", "zh-CN"),
        ("", "en"),
        ("en;q=0.2,zh;q=0.3", "zh-CN"),
    ],
)
def test_the_language_comes_from_accept_language(header: str, lang: str) -> None:
    assert i18n.choose(header) == lang


def test_the_switch_wins_over_the_browser() -> None:
    assert i18n.choose("zh-CN", "en") == "en"
    assert i18n.choose("en", "zh-CN") == "zh-CN"
    assert i18n.choose("zh-CN", "xx") == "zh-CN"
