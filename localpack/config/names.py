"""Machine names: any text → a valid `app.name` (used by `init` and by the PakePlus import)."""

from __future__ import annotations

import re
import unicodedata


def machine_name(text: str, fallback: str = "my-app") -> str:
    """A valid `app.name` from any text: ASCII-folded, lowercase, runs of other characters → '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    name = re.sub(r"^[^a-z]+", "", name)[:63].strip("-")
    return name or fallback
