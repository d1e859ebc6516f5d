"""`behavior.activation_shortcut` follows the grammar of global-hotkey 0.8, the parser of Tauri's
global-shortcut plugin: what localpack accepts, the app can parse and register."""

from __future__ import annotations

import glob
import re
from pathlib import Path

import pytest

from localpack.config import rules

# global-hotkey's own test cases (src/hotkey.rs), all valid for the plugin; localpack adds "needs a modifier".
GOOD = [
    "super+ctrl+SHIFT+alt+ArrowUp",
    "SHiFT+F12",
    "CmdOrCtrl+Space",
    "Alt+KeyR",
    "ctrl + shift + k",
    "Option+Cmd+`",
    "CommandOrControl+Digit1",
    "Control+NumpadAdd",
    "Ctrl+Alt+Delete",
    "Shift+MediaTrackNext",
    "Ctrl+Num5",
    "Super+Esc",
    "Ctrl+\u3000F1",
]
BAD = [
    ("KeyG", "needs a modifier"),  # valid for the plugin, but would take G from every program
    ("Digit5", "needs a modifier"),
    ("Shift+Ctrl", "needs a main key"),
    ("Ctrl", "needs a main key"),
    ("Shift+KeyR", "besides Shift"),
    ("Shift+Space", "besides Shift"),
    ("Ctrl+Shift+C+A", "exactly one main key last"),
    ("Ctrl+C+Shift", "exactly one main key last"),
    ("Ctrl++", "empty part"),
    ("Ctrl+ +K", "empty part"),
    ("Ctrl+Plus", "unknown key 'Plus'"),
    ("Ctrl+Spce", "did you mean 'Space'"),
    ("Hyper+K", "unknown key 'Hyper'"),
    ("Ctrl+\x1cK", "unknown key"),  # Python's strip() removes \x1c, Rust's trim() does not
    ("Ctrl+\u0131", "unknown key"),  # dotless i upper-cases to I; refused rather than relying on Unicode tables
    ("Ctrl+Quote", "on Linux"),
    ("Ctrl+NumLock", "on Linux"),
    ("Ctrl+F24", "on macOS"),
    ("Ctrl+Pause", "on macOS"),
]


@pytest.mark.parametrize("value", GOOD)
def test_shortcuts_the_plugin_parses_are_accepted(value: str) -> None:
    assert rules.shortcut(value) is None


@pytest.mark.parametrize("value,why", BAD, ids=[b[0] for b in BAD])
def test_bad_shortcuts_say_what_is_wrong(value: str, why: str) -> None:
    error = rules.shortcut(value)
    assert error is not None and why in error


SOURCE = sorted(glob.glob(str(Path.home() / ".cargo/registry/src/*/global-hotkey-0.8.0/src/hotkey.rs")))


@pytest.mark.skipif(not SOURCE, reason="global-hotkey 0.8.0's source is not in the cargo registry here")
def test_key_and_modifier_names_are_exactly_those_of_global_hotkey() -> None:
    text = Path(SOURCE[0]).read_text(encoding="utf-8")
    parse_key = text[text.index("fn parse_key") : text.index("#[test]")]
    keys = {}
    for names, code in re.findall(r'((?:"[^"]+"\s*\|?\s*)+)=> Ok\((\w+)\)', parse_key):
        for name in re.findall(r'"((?:[^"\\]|\\.)+)"', names):
            keys[name.replace("\\\\", "\\")] = code  # Rust's "\\" is one backslash
    assert keys == rules.HOTKEY_KEYS
    parse_hotkey = text[text.index("fn parse_hotkey") : text.index("fn parse_key")]
    modifiers = set(re.findall(r"\"([A-Z]+)\"", parse_hotkey))
    assert modifiers == set(rules.HOTKEY_MODIFIERS)
