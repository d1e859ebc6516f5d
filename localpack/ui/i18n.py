"""The page's language: English or Simplified Chinese, from the browser's Accept-Language or the switch.

Each language is one JSON catalogue in `locales/`: `ui` holds the page's own words by id; `messages`
(Chinese only) holds localpack's messages by their English template (`core.messages.Msg`), so a rule
broken in the config or a doctor problem reads in the page's language. A plain dict per language is
enough for two languages and a few hundred strings, and needs no compile step (gettext's .mo files
would); `tests/test_ui_i18n.py` keeps the catalogues complete. Tool output is never translated.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from localpack.core.messages import say

LANGS = ("en", "zh-CN")
LANG_NAMES = {"en": "English", "zh-CN": "中文"}
LOCALES = Path(__file__).resolve().parent / "locales"
COOKIE = "localpack-ui-lang"


def choose(accept_language: str, chosen: str | None = None) -> str:
    """The switch's choice if any, else the first language of Accept-Language that the page speaks."""
    if chosen in LANGS:
        return chosen  # type: ignore[return-value]
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag.strip().lower()))
    for _q, _i, tag in sorted(ranked):
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return "en"


@functools.cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    return json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


class Texts:
    """What templates call: `t("id", **values)` for the page's words, `t.say(msg)` for localpack's messages."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.ui = catalogue(lang)["ui"]
        self.english = catalogue("en")["ui"]
        self.messages = catalogue(lang).get("messages", {})

    def __call__(self, key: str, **values: Any) -> str:
        text = self.ui.get(key) or self.english.get(key) or key
        return text.format(**values) if values else text

    def help(self, key: str, doc: str) -> str:
        """A config key's help: the model's own doc in English, the catalogue's `help.KEY` otherwise."""
        return doc if self.lang == "en" else self.ui.get(f"help.{key}", "")

    def say(self, text: Any) -> str:
        return str(say(text, self.messages))
