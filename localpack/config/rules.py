"""The rules a config value must follow. Each returns None when the value is fine, else the broken
rule as text that follows the key's name: "app.name must be lowercase …" (a `Msg`, so `localpack ui` can
say it in the page's language)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from localpack.core.messages import Msg

NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
REPO_RE = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
ICON_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")
THEMES = ("system", "light", "dark")
EXTERNAL_LINKS = ("browser", "app")
# Tauri's bundle categories (tauri-bundler src/bundle/category.rs, `AppCategory`; the CLI schema lists the same).
CATEGORIES = (
    "Business", "DeveloperTool", "Education", "Entertainment", "Finance", "Game", "ActionGame", "AdventureGame",
    "ArcadeGame", "BoardGame", "CardGame", "CasinoGame", "DiceGame", "EducationalGame", "FamilyGame", "KidsGame",
    "MusicGame", "PuzzleGame", "RacingGame", "RolePlayingGame", "SimulationGame", "SportsGame", "StrategyGame",
    "TriviaGame", "WordGame", "GraphicsAndDesign", "HealthcareAndFitness", "Lifestyle", "Medical", "Music", "News",
    "Photography", "Productivity", "Reference", "SocialNetworking", "Sports", "Travel", "Utility", "Video", "Weather",
)


# A rule takes the (type-checked) value and returns an error text, or None.
Rule = Callable[[Any], "str | None"]


def printable(allow_newlines: bool = False) -> Rule:
    def check(value: str) -> str | None:
        for ch in value:
            if ch in "\n\t" and allow_newlines:
                continue
            if not ch.isprintable() and ch != " ":
                return Msg("must be printable text (found {char})", char=repr(ch))
        return None

    return check


def nonempty_printable(value: str) -> str | None:
    if not value.strip():
        return Msg("must not be empty")
    return printable()(value)


def name(value: str) -> str | None:
    if NAME_RE.match(value):
        return None
    return Msg("must be lowercase ASCII letters, digits and '-', start with a letter, at most 63 characters "
               "(e.g. 'my-app')")


def identifier(value: str) -> str | None:
    if not IDENTIFIER_RE.match(value):
        return Msg("must be reverse-DNS: ASCII letters, digits, '-' and at least one '.' (e.g. 'com.example.app')")
    if value == "com.tauri.dev":
        return Msg("must not be Tauri's placeholder 'com.tauri.dev'")
    return None


def version(value: str) -> str | None:
    return None if VERSION_RE.match(value) else Msg("must be a version major.minor.patch, e.g. '1.0.0'")


def http_url(value: str) -> str | None:
    bad = printable()(value)
    if bad or any(ch.isspace() for ch in value):
        return Msg("must be a URL without spaces or control characters")
    try:
        parts = urlsplit(value)
    except ValueError as e:
        return Msg("is not a valid URL ({reason})", reason=str(e))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Msg("must be an http:// or https:// URL with a host, e.g. 'https://example.com'")
    return None


def proxy(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "socks5") or not parts.hostname:
        return Msg("must be an http:// or socks5:// proxy URL, e.g. 'http://127.0.0.1:8080'")
    return None


def positive(value: int) -> str | None:
    return None if value > 0 else Msg("must be a positive number of pixels")


def one_of(*choices: str) -> Rule:
    def check(value: str) -> str | None:
        if value in choices:
            return None
        return Msg("must be one of {choices}{suggestion}", choices=", ".join(repr(c) for c in choices),
                   suggestion=did_you_mean(value, choices))

    return check


def each(rule: Rule) -> Rule:
    def check(values: tuple) -> str | None:
        for v in values:
            err = rule(v)
            if err:
                return Msg("item {item} {problem}", item=repr(v), problem=err)
        return None

    return check


def host_glob(value: str) -> str | None:
    if not value or "/" in value or ":" in value or any(c.isspace() for c in value):
        return Msg("must be a host name or glob like '*.example.com' (no scheme, port or path)")
    return None


def zoom(value: int) -> str | None:
    return None if 20 <= value <= 500 else Msg("must be a percentage from 20 to 500")


def selector(value: str) -> str | None:
    if not value.strip():
        return Msg("must not be empty")
    if "{" in value or "}" in value:
        return Msg("must be a CSS selector without '{{' or '}}' (put whole CSS rules into an inject .css file)")
    return printable()(value)


def keyword(value: str) -> str | None:
    if ";" in value or not value.strip():
        return Msg("must be a non-empty word without ';'")
    return printable()(value)


def canonical_category(value: str) -> str | None:
    """Tauri's category name for `value`, compared the way the bundler does (case, spaces, '-' ignored)."""
    wanted = value.lower().removeprefix("public.app-category.").replace(" ", "").replace("-", "")
    return next((c for c in CATEGORIES if c.lower() == wanted), None)


def category(value: str) -> str | None:
    if canonical_category(value):
        return None
    return Msg("must be one of Tauri's categories, e.g. 'Utility', 'Productivity', 'DeveloperTool'{suggestion}",
               suggestion=did_you_mean(value, CATEGORIES))


def repo(value: str) -> str | None:
    return None if not value or REPO_RE.match(value) else Msg("must be 'owner/name'")


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return Msg(" (did you mean '{word}'?)", word=close[0]) if close else ""
