"""The rules a config value must follow. Each returns None when the value is fine, else the broken
rule as text that follows the key's name: "app.name must be lowercase …"."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from localpack.config import urls

NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,62}$")
IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
REPO_RE = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
U64_MAX = 2**64 - 1  # semver (the Tauri CLI, cargo) reads each version number as an unsigned 64-bit integer
# cargo refuses these as binary names ("conflicts with cargo's build directory names"); the app's binary is its name.
CARGO_RESERVED_NAMES = ("build", "deps", "examples", "incremental")
# The Windows installer's bundler (WiX) takes the publisher into its XML and registry keys without escaping.
_NOT_IN_PUBLISHER = re.compile(r'["&<>\\{}\[\]]|[$!]\(')
ICON_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")
THEMES = ("system", "light", "dark")
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
                return f"must be printable text (found {ch!r})"
        return None

    return check


def nonempty_printable(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    return printable()(value)


def name(value: str) -> str | None:
    if value in CARGO_RESERVED_NAMES:
        return f"must not be {value!r}: cargo reserves it for its build folders (e.g. '{value}-app')"
    if NAME_RE.match(value):
        return None
    return "must be lowercase ASCII letters, digits and '-', start with a letter, at most 63 characters (e.g. 'my-app')"


def identifier(value: str) -> str | None:
    if not IDENTIFIER_RE.match(value):
        return "must be reverse-DNS: ASCII letters, digits, '-' and at least one '.' (e.g. 'com.example.app')"
    if value == "com.tauri.dev":
        return "must not be Tauri's placeholder 'com.tauri.dev'"
    return None


def version(value: str) -> str | None:
    if not VERSION_RE.match(value):
        return "must be a version major.minor.patch, e.g. '1.0.0'"
    if any(int(part) > U64_MAX for part in value.split(".")):
        return f"has a number larger than {U64_MAX} (the Tauri CLI and cargo read each as a 64-bit number)"
    return None


def msi_version(value: str) -> str | None:
    """The Windows installer's limits (WiX: major and minor at most 255, patch at most 65535)."""
    major, minor, patch = (int(part) for part in value.split("."))
    if major > 255 or minor > 255 or patch > 65535:
        return "must be at most 255.255.65535 when an msi is built (Windows Installer's limit)"
    return None


def http_url(value: str) -> str | None:
    try:
        urls.parse(value, ("http", "https"))
    except urls.URLProblem as e:
        return str(e)
    return None


def proxy(value: str) -> str | None:
    try:
        urls.parse(value, ("http", "socks5"), example="http://127.0.0.1:8080")
    except urls.URLProblem as e:
        return str(e).replace(" URL with a host", " proxy URL with a host")
    return None


def publisher(value: str) -> str | None:
    if _NOT_IN_PUBLISHER.search(value):
        return ("must not contain \" & < > \\ { } [ ] or '$(' '!(' (Windows installers take the publisher "
                "into their XML unescaped); write 'and' for '&'")
    return printable()(value)


def positive(value: int) -> str | None:
    return None if value > 0 else "must be a positive number of pixels"


def one_of(*choices: str) -> Rule:
    def check(value: str) -> str | None:
        if value in choices:
            return None
        return f"must be one of {', '.join(repr(c) for c in choices)}" + did_you_mean(value, choices)

    return check


def each(rule: Rule) -> Rule:
    def check(values: tuple) -> str | None:
        for v in values:
            err = rule(v)
            if err:
                return f"item {v!r} {err}"
        return None

    return check


def host_glob(value: str) -> str | None:
    if not value or "/" in value or ":" in value or any(c.isspace() for c in value):
        return "must be a host name or glob like '*.example.com' (no scheme, port or path)"
    try:
        urls.ascii_host(value)
    except ValueError as e:
        return f"must be a host name or glob like '*.example.com': it {e}"
    return None


def zoom(value: int) -> str | None:
    return None if 20 <= value <= 500 else "must be a percentage from 20 to 500"


def selector(value: str) -> str | None:
    if not value.strip():
        return "must not be empty"
    if "{" in value or "}" in value:
        return "must be a CSS selector without '{' or '}' (put whole CSS rules into an inject .css file)"
    return printable()(value)


def keyword(value: str) -> str | None:
    if ";" in value or not value.strip():
        return "must be a non-empty word without ';'"
    return printable()(value)


def canonical_category(value: str) -> str | None:
    """Tauri's category name for `value`, compared the way the bundler does (case, spaces, '-' ignored)."""
    wanted = value.lower().removeprefix("public.app-category.").replace(" ", "").replace("-", "")
    return next((c for c in CATEGORIES if c.lower() == wanted), None)


def category(value: str) -> str | None:
    if canonical_category(value):
        return None
    return "must be one of Tauri's categories, e.g. 'Utility', 'Productivity', 'DeveloperTool'" + did_you_mean(
        value, CATEGORIES
    )


def repo(value: str) -> str | None:
    return None if not value or REPO_RE.match(value) else "must be 'owner/name'"


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
