"""The rules a config value must follow. Each is a `Rule`: called with a value it returns None when the value
is fine, else the broken rule as text that follows the key's name ("app.name must be lowercase …"), a `Msg`
so `localpack ui` can say it in the page's language; its `schema` is the same rule as a JSON-Schema fragment,
from which `schema.py` builds localpack.toml's schema. Where JSON Schema cannot say a rule exactly (Unicode
categories, URL parsing), the fragment is the closest looser check, so the schema never refuses a value
localpack accepts."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localpack.config import urls
from localpack.config.web_folder import include_problem
from localpack.core.messages import Msg

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
NEW_WINDOW = ("same", "new")
EXTERNAL_LINKS = ("browser", "app")
NOTIFICATIONS = ("ask", "allow", "deny")
# What a page may be given when it asks (behavior.permissions); everything else is denied.
PERMISSIONS = ("camera", "microphone", "screen", "geolocation", "clipboard", "storage")
# Tauri's bundle categories (tauri-bundler src/bundle/category.rs, `AppCategory`; the CLI schema lists the same).
CATEGORIES = (
    "Business",
    "DeveloperTool",
    "Education",
    "Entertainment",
    "Finance",
    "Game",
    "ActionGame",
    "AdventureGame",
    "ArcadeGame",
    "BoardGame",
    "CardGame",
    "CasinoGame",
    "DiceGame",
    "EducationalGame",
    "FamilyGame",
    "KidsGame",
    "MusicGame",
    "PuzzleGame",
    "RacingGame",
    "RolePlayingGame",
    "SimulationGame",
    "SportsGame",
    "StrategyGame",
    "TriviaGame",
    "WordGame",
    "GraphicsAndDesign",
    "HealthcareAndFitness",
    "Lifestyle",
    "Medical",
    "Music",
    "News",
    "Photography",
    "Productivity",
    "Reference",
    "SocialNetworking",
    "Sports",
    "Travel",
    "Utility",
    "Video",
    "Weather",
)


@dataclass(frozen=True)
class Rule:
    """`check` takes the (type-checked) value and returns an error text, or None; `schema` says the same rule
    as a JSON-Schema fragment."""

    check: Callable[[Any], str | None]
    schema: dict[str, Any]

    def __call__(self, value: Any) -> str | None:
        return self.check(value)


def rule(**schema: Any) -> Callable[[Callable[[Any], str | None]], Rule]:
    """Decorator: a check function and its JSON-Schema fragment become one `Rule`."""
    return lambda check: Rule(check, schema)


# What JSON Schema can say of `str.isprintable()`: no control characters (C0, DEL, C1).
_NO_CONTROLS = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
_NO_CONTROLS_BUT_TAB_NEWLINE = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]*$"


def printable(allow_newlines: bool = False) -> Rule:
    @rule(pattern=_NO_CONTROLS_BUT_TAB_NEWLINE if allow_newlines else _NO_CONTROLS)
    def check(value: str) -> str | None:
        for ch in value:
            if ch in "\n\t" and allow_newlines:
                continue
            if not ch.isprintable() and ch != " ":
                return Msg("must be printable text (found {char})", char=repr(ch))
        return None

    return check


@rule(allOf=[{"pattern": "\\S"}, {"pattern": _NO_CONTROLS}])
def nonempty_printable(value: str) -> str | None:
    if not value.strip():
        return Msg("must not be empty")
    return printable()(value)


@rule(pattern=NAME_RE.pattern)
def name(value: str) -> str | None:
    if value in CARGO_RESERVED_NAMES:
        return f"must not be {value!r}: cargo reserves it for its build folders (e.g. '{value}-app')"
    if NAME_RE.match(value):
        return None
    return Msg(
        "must be lowercase ASCII letters, digits and '-', start with a letter, at most 63 characters (e.g. 'my-app')"
    )


@rule(pattern=IDENTIFIER_RE.pattern, **{"not": {"const": "com.tauri.dev"}})
def identifier(value: str) -> str | None:
    if not IDENTIFIER_RE.match(value):
        return Msg("must be reverse-DNS: ASCII letters, digits, '-' and at least one '.' (e.g. 'com.example.app')")
    if value == "com.tauri.dev":
        return Msg("must not be Tauri's placeholder 'com.tauri.dev'")
    return None


@rule(pattern=VERSION_RE.pattern)
def version(value: str) -> str | None:
    if not VERSION_RE.match(value):
        return Msg("must be a version major.minor.patch, e.g. '1.0.0'")
    if any(int(part) > U64_MAX for part in value.split(".")):
        return Msg(
            "has a number larger than {limit} (the Tauri CLI and cargo read each as a 64-bit number)", limit=U64_MAX
        )
    return None


def msi_version(value: str) -> str | None:
    """The Windows installer's limits (WiX: major and minor at most 255, patch at most 65535)."""
    major, minor, patch = (int(part) for part in value.split("."))
    if major > 255 or minor > 255 or patch > 65535:
        return Msg("must be at most 255.255.65535 when an msi is built (Windows Installer's limit)")
    return None


@rule(pattern="^https?://[^\\s/?#]+(?:[/?#]\\S*)?$")
def http_url(value: str) -> str | None:
    try:
        urls.parse(value, ("http", "https"))
    except urls.URLProblem as e:
        return str(e)
    return None


@rule(pattern="^(?:http|socks5)://[^\\s/?#]+")
def proxy(value: str) -> str | None:
    try:
        urls.parse(value, ("http", "socks5"), example="http://127.0.0.1:8080")
    except urls.URLProblem as e:
        return str(e).replace(" URL with a host", " proxy URL with a host")
    return None


@rule(allOf=[{"pattern": '^[^"&<>\\\\{}\\[\\]]*$'}, {"not": {"pattern": "[$!]\\("}}, {"pattern": _NO_CONTROLS}])
def publisher(value: str) -> str | None:
    if _NOT_IN_PUBLISHER.search(value):
        return Msg(
            "must not contain \" & < > \\ {{ }} [ ] or '$(' '!(' (Windows installers take the publisher "
            "into their XML unescaped); write 'and' for '&'"
        )
    return printable()(value)


MAX_PIXELS = 100_000  # larger than any screen or row of screens; beyond it a size is a typo (or an attack)


@rule(minimum=1, maximum=MAX_PIXELS)
def positive(value: int) -> str | None:
    return (
        None
        if 0 < value <= MAX_PIXELS
        else Msg("must be a positive number of pixels, at most {limit}", limit=MAX_PIXELS)
    )


def one_of(*choices: str) -> Rule:
    @rule(enum=list(choices))
    def check(value: str) -> str | None:
        if value in choices:
            return None
        return Msg(
            "must be one of {choices}{suggestion}",
            choices=", ".join(repr(c) for c in choices),
            suggestion=did_you_mean(value, choices),
        )

    return check


def each(item: Rule) -> Rule:
    @rule(items=item.schema)
    def check(values: tuple) -> str | None:
        for v in values:
            err = item(v)
            if err:
                return Msg("item {item} {problem}", item=repr(v), problem=err)
        return None

    return check


@rule(pattern="^[^/:\\s]+$")
def host_glob(value: str) -> str | None:
    if not value or "/" in value or ":" in value or any(c.isspace() for c in value):
        return Msg("must be a host name or glob like '*.example.com' (no scheme, port or path)")
    try:
        urls.ascii_host(value)
    except ValueError as e:
        return Msg("must be a host name or glob like '*.example.com': it {reason}", reason=str(e))
    return None


@rule(allOf=[{"pattern": "^[^/\\\\]"}, {"pattern": _NO_CONTROLS}])
def dist_include(value: str) -> str | None:
    problem = include_problem(value)
    if problem:
        return Msg("must be a path or glob relative to app.dist ({problem})", problem=problem)
    return printable()(value)


# A sign-in page: a host glob, optionally followed by a path prefix (`github.com/login`).
_SIGNIN_PATH = re.compile(r"^(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+/?$")


@rule(pattern="^[^/:\\s]+(/[^\\s]*)?$")
def signin_host(value: str) -> str | None:
    host, slash, path = value.partition("/")
    if slash and not _SIGNIN_PATH.fullmatch("/" + path):
        return Msg("must be a host glob, optionally with a path, like 'github.com/login'")
    return host_glob(host)


_FINGERPRINT = "([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}"


@rule(pattern="^[^=/:*\\s]+=" + _FINGERPRINT + "$")
def trusted_certificate(value: str) -> str | None:
    """`host=AB:CD:…`: one host (no glob, port or path) and its certificate's SHA-256, 32 hex pairs."""
    host, sep, fingerprint = value.partition("=")
    if not sep or not re.fullmatch(_FINGERPRINT, fingerprint):
        return Msg("must be 'host=AB:CD:…' with the certificate's SHA-256 fingerprint (32 hex pairs joined by ':')")
    if not host or "*" in host or host_glob(host):
        return Msg("must name one host before '=' (no '*', scheme, port or path)")
    return None


@rule(minimum=20, maximum=500)
def zoom(value: int) -> str | None:
    return None if 20 <= value <= 500 else Msg("must be a percentage from 20 to 500")


@rule(allOf=[{"pattern": "^[^{}]*[^{}\\s][^{}]*$"}, {"pattern": _NO_CONTROLS}])
def selector(value: str) -> str | None:
    if not value.strip():
        return Msg("must not be empty")
    if "{" in value or "}" in value:
        return Msg("must be a CSS selector without '{{' or '}}' (put whole CSS rules into an inject .css file)")
    return printable()(value)


@rule(allOf=[{"pattern": "^[^;]*[^;\\s][^;]*$"}, {"pattern": _NO_CONTROLS}])
def keyword(value: str) -> str | None:
    if ";" in value or not value.strip():
        return Msg("must be a non-empty word without ';'")
    return printable()(value)


def canonical_category(value: str) -> str | None:
    """Tauri's category name for `value`, compared the way the bundler does (case, spaces, '-' ignored)."""
    wanted = value.lower().removeprefix("public.app-category.").replace(" ", "").replace("-", "")
    return next((c for c in CATEGORIES if c.lower() == wanted), None)


def _any_case(word: str, between: str = "") -> str:
    """A regex for `word` in any letter case, with `between` allowed after each character."""

    def one(c: str) -> str:
        if c.isalpha():
            return f"[{c.upper()}{c.lower()}]"
        if c.isdigit():
            return c
        return "[" + ("\\" + c if c in "\\]^-[" else c) + "]"  # a class: no escape rules differ between dialects

    return "".join(one(c) + between for c in word)


# The spellings `canonical_category` accepts: any case, spaces and '-' anywhere, an Apple prefix.
_CATEGORY_PATTERN = (
    "^[ -]*(?:"
    + _any_case("public.app-category.")
    + ")?[ -]*(?:"
    + "|".join(_any_case(c, "[ -]*") for c in CATEGORIES)
    + ")$"
)


@rule(anyOf=[{"enum": list(CATEGORIES)}, {"pattern": _CATEGORY_PATTERN}])
def category(value: str) -> str | None:
    if canonical_category(value):
        return None
    return Msg(
        "must be one of Tauri's categories, e.g. 'Utility', 'Productivity', 'DeveloperTool'{suggestion}",
        suggestion=did_you_mean(value, CATEGORIES),
    )


@rule(pattern=REPO_RE.pattern)
def repo(value: str) -> str | None:
    return None if not value or REPO_RE.match(value) else Msg("must be 'owner/name'")


# ---------------------------------------------------------------- global shortcuts
# The grammar of global-hotkey 0.8's `parse_hotkey` (src/hotkey.rs), which tauri-plugin-global-shortcut 2 uses
# to read a shortcut: tokens split on '+', each trimmed (Rust's `str::trim`), compared upper-cased; modifiers
# first, exactly one main key last. A shortcut that passes `shortcut` parses and registers in the app.
HOTKEY_MODIFIERS = {
    "OPTION": "Alt",
    "ALT": "Alt",
    "CONTROL": "Ctrl",
    "CTRL": "Ctrl",
    "COMMAND": "Super",
    "CMD": "Super",
    "SUPER": "Super",
    "SHIFT": "Shift",
    "COMMANDORCONTROL": "CmdOrCtrl",
    "COMMANDORCTRL": "CmdOrCtrl",
    "CMDORCTRL": "CmdOrCtrl",
    "CMDORCONTROL": "CmdOrCtrl",
}
# key code → the names `parse_key` accepts for it (upper case).
_HOTKEY_CODES: dict[str, tuple[str, ...]] = {
    "Backquote": ("BACKQUOTE", "`"),
    "Backslash": ("BACKSLASH", "\\"),
    "BracketLeft": ("BRACKETLEFT", "["),
    "BracketRight": ("BRACKETRIGHT", "]"),
    "Pause": ("PAUSE", "PAUSEBREAK"),
    "Comma": ("COMMA", ","),
    **{f"Digit{d}": (f"DIGIT{d}", str(d)) for d in range(10)},
    "Equal": ("EQUAL", "="),
    **{f"Key{c}": (f"KEY{c}", c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    "Minus": ("MINUS", "-"),
    "Period": ("PERIOD", "."),
    "Quote": ("QUOTE", "'"),
    "Semicolon": ("SEMICOLON", ";"),
    "Slash": ("SLASH", "/"),
    "Backspace": ("BACKSPACE",),
    "CapsLock": ("CAPSLOCK",),
    "Enter": ("ENTER",),
    "Space": ("SPACE",),
    "Tab": ("TAB",),
    "Delete": ("DELETE",),
    "End": ("END",),
    "Home": ("HOME",),
    "Insert": ("INSERT",),
    "PageDown": ("PAGEDOWN",),
    "PageUp": ("PAGEUP",),
    "PrintScreen": ("PRINTSCREEN",),
    "ScrollLock": ("SCROLLLOCK",),
    "ArrowDown": ("ARROWDOWN", "DOWN"),
    "ArrowLeft": ("ARROWLEFT", "LEFT"),
    "ArrowRight": ("ARROWRIGHT", "RIGHT"),
    "ArrowUp": ("ARROWUP", "UP"),
    "NumLock": ("NUMLOCK",),
    **{f"Numpad{d}": (f"NUMPAD{d}", f"NUM{d}") for d in range(10)},
    "NumpadAdd": ("NUMPADADD", "NUMADD", "NUMPADPLUS", "NUMPLUS"),
    "NumpadDecimal": ("NUMPADDECIMAL", "NUMDECIMAL"),
    "NumpadDivide": ("NUMPADDIVIDE", "NUMDIVIDE"),
    "NumpadEnter": ("NUMPADENTER", "NUMENTER"),
    "NumpadEqual": ("NUMPADEQUAL", "NUMEQUAL"),
    "NumpadMultiply": ("NUMPADMULTIPLY", "NUMMULTIPLY"),
    "NumpadSubtract": ("NUMPADSUBTRACT", "NUMSUBTRACT"),
    "Escape": ("ESCAPE", "ESC"),
    **{f"F{n}": (f"F{n}",) for n in range(1, 25)},
    "AudioVolumeDown": ("AUDIOVOLUMEDOWN", "VOLUMEDOWN"),
    "AudioVolumeUp": ("AUDIOVOLUMEUP", "VOLUMEUP"),
    "AudioVolumeMute": ("AUDIOVOLUMEMUTE", "VOLUMEMUTE"),
    "MediaPlay": ("MEDIAPLAY",),
    "MediaPause": ("MEDIAPAUSE",),
    "MediaPlayPause": ("MEDIAPLAYPAUSE",),
    "MediaStop": ("MEDIASTOP",),
    "MediaTrackNext": ("MEDIATRACKNEXT",),
    "MediaTrackPrevious": ("MEDIATRACKPREV", "MEDIATRACKPREVIOUS"),
}
HOTKEY_KEYS = {alias: code for code, aliases in _HOTKEY_CODES.items() for alias in aliases}
# Keys that parse but cannot be registered on one desktop platform (global-hotkey 0.8's platform code has no
# key code for them, or maps them wrongly), so an app built there would fail or listen to the wrong key.
HOTKEY_UNUSABLE = {
    **{
        code: "macOS"
        for code in ("F21", "F22", "F23", "F24", "MediaPlay", "MediaPause", "MediaStop", "Pause", "ScrollLock")
    },
    **{code: "Linux" for code in ("MediaPlayPause", "NumpadEnter", "NumpadEqual", "Quote", "NumLock")},
}
# Keys that type nothing, so Shift alone does not take them away from typing in other programs.
_SILENT_KEYS = {f"F{n}" for n in range(1, 25)} | {c for c in _HOTKEY_CODES if c.startswith(("Media", "Audio"))}
# What Rust's `str::trim` removes (the Unicode White_Space property); Python's `str.strip()` also removes
# \x1c-\x1f, which Rust keeps.
_RUST_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_SHORTCUT_EXAMPLE = "e.g. 'CmdOrCtrl+Shift+K' or 'Alt+Space'"


def _shortcut_pattern() -> str:
    """`shortcut` as one regex: modifiers, then one main key; Shift alone only before a silent key."""
    space = "[" + "".join(f"\\u{ord(c):04x}" for c in _RUST_WHITESPACE) + "]*"
    plus = space + "\\+" + space

    def names(words: Any) -> str:
        return "(?:" + "|".join(_any_case(w) for w in sorted(words, key=len, reverse=True)) + ")"

    usable = [alias for alias, code in HOTKEY_KEYS.items() if code not in HOTKEY_UNUSABLE]
    silent = [alias for alias, code in HOTKEY_KEYS.items() if code in _SILENT_KEYS and code not in HOTKEY_UNUSABLE]
    shift = names(["SHIFT"])
    other = names([m for m, v in HOTKEY_MODIFIERS.items() if v != "Shift"])
    any_mod = names(HOTKEY_MODIFIERS)
    with_other = f"(?:{shift}{plus})*{other}{plus}(?:{any_mod}{plus})*{names(usable)}"
    shift_only = f"(?:{shift}{plus})+{names(silent)}"
    return f"^{space}(?:{with_other}|{shift_only}){space}$"


def shortcut(value: str) -> str | None:
    """A global shortcut as tauri-plugin-global-shortcut parses it, with at least one modifier."""
    tokens = value.split("+")
    if len(tokens) == 1:  # parse_hotkey reads a lone token, untrimmed, as the main key
        if value.isascii() and value.upper() in HOTKEY_KEYS:
            return (
                f"needs a modifier ({_SHORTCUT_EXAMPLE}): a bare key as a global shortcut would be taken "
                "from every other program"
            )
        if value.strip(_RUST_WHITESPACE).upper() in HOTKEY_MODIFIERS:
            return f"needs a main key after the modifiers ({_SHORTCUT_EXAMPLE})"
        return _unknown_key(value)
    mods: set[str] = set()
    key: str | None = None
    key_token = ""
    for raw in tokens:
        token = raw.strip(_RUST_WHITESPACE)
        if not token:
            return f"has an empty part between '+' signs ({_SHORTCUT_EXAMPLE}; the numpad's + is 'NumpadAdd')"
        if key is not None:
            return f"must list the modifiers first and exactly one main key last ({_SHORTCUT_EXAMPLE})"
        word = token.upper() if token.isascii() else ""  # ASCII only: upper-casing matches Rust's for certain
        if word in HOTKEY_MODIFIERS:
            mods.add(HOTKEY_MODIFIERS[word])
        elif word in HOTKEY_KEYS:
            key, key_token = HOTKEY_KEYS[word], token
        else:
            return _unknown_key(token)
    if key is None:
        return f"needs a main key after the modifiers ({_SHORTCUT_EXAMPLE})"
    if mods == {"Shift"} and key not in _SILENT_KEYS:
        return (
            f"needs Ctrl, Alt, Super/Cmd or CmdOrCtrl besides Shift: Shift+{key_token} would be taken from typing "
            f"in every other program ({_SHORTCUT_EXAMPLE})"
        )
    if key in HOTKEY_UNUSABLE:
        return (
            f"cannot use the key {key!r}: the global-shortcut plugin cannot register it on "
            f"{HOTKEY_UNUSABLE[key]}; choose another key"
        )
    return None


shortcut = Rule(shortcut, {"pattern": _shortcut_pattern()})


def _unknown_key(token: str) -> str:
    names = {name.upper(): name for name in (*_HOTKEY_CODES, "Ctrl", "Alt", "Shift", "Super", "Cmd", "CmdOrCtrl")}
    close = difflib.get_close_matches(token.upper(), names, n=1, cutoff=0.6)
    hint = f" (did you mean '{names[close[0]]}'?)" if close else ""
    return (
        f"has an unknown key {token!r}{hint}: use modifiers Ctrl, Alt, Shift, Super/Cmd, CmdOrCtrl and one key "
        f"such as K, F5, Space, Up, Digit1, {_SHORTCUT_EXAMPLE}"
    )


def did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return Msg(" (did you mean '{word}'?)", word=close[0]) if close else ""


# Schemes never handed to another program (the runtime refuses them too): local files and script URLs.
NEVER_OPENED_SCHEMES = ("file", "javascript", "data", "vbscript")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
_NEVER_OPENED_PATTERN = "|".join(_any_case(s) for s in NEVER_OPENED_SCHEMES)


@rule(pattern=f"^(?!(?:{_NEVER_OPENED_PATTERN})$)[A-Za-z][A-Za-z0-9+.-]*$")
def open_scheme(value: str) -> str | None:
    if not _SCHEME_RE.fullmatch(value):
        return Msg("must be a URL scheme without ':', like 'zoommtg' (a letter, then letters, digits, '+', '-', '.')")
    if value.lower() in NEVER_OPENED_SCHEMES:
        return Msg(
            "must not be {scheme}: local files and script URLs never go to another program", scheme=value.lower()
        )
    return None
