"""Machine names: any text → a valid `app.name` (used by `init`, the ui's New app page and the PakePlus import)."""

from __future__ import annotations

import re
import unicodedata

from localpack.config import rules


def machine_name(text: str, fallback: str = "my-app") -> str:
    """A valid `app.name` from any text: ASCII-folded, lowercase, runs of other characters → '-'. A name cargo
    reserves (`build`, `deps`, …) gets `-app`, as the rule's message suggests, so a derived name always passes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    name = re.sub(r"^[^a-z]+", "", name)[:63].strip("-")
    if name in rules.CARGO_RESERVED_NAMES:
        name += "-app"
    name = name or fallback
    return name if rules.name(name) is None else fallback
