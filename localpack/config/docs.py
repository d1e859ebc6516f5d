"""The README's table of localpack.toml's keys, made from `keys.KEYS`.

`python -m localpack.config.docs` rewrites the table between the README's marker comments; a test checks the
README is current, so a new key's row comes with its descriptor.
"""

from __future__ import annotations

import sys
from pathlib import Path

from localpack.config import keys

README = Path(__file__).resolve().parents[2] / "README.md"
START = "<!-- keys:start: made from localpack/config/keys.py by `python -m localpack.config.docs` -->"
END = "<!-- keys:end -->"


def _default(key: keys.Key) -> str:
    if key.shown_default:
        return key.shown_default
    return "unset" if key.default is None else f"`{keys.toml(key.default)}`"


def _flag(key: keys.Key) -> str:
    name = key.option.split("/", 1)[0]
    if key.kind is keys.Kind.BOOL:
        return f"`--[no-]{name[2:]}`"
    return f"`{name} …` (repeatable)" if key.kind.many else f"`{name}`"


def table() -> str:
    rows = ["| key | default | flag | what it is |", "|---|---|---|---|"]
    for key in keys.KEYS:
        what = "; ".join(text for text in (key.help, key.note) if text).replace("|", "\\|")
        rows.append(f"| `{key.dotted}` | {_default(key)} | {_flag(key)} | {what} |")
    return "\n".join(rows) + "\n"


def with_table(readme: str) -> str:
    """`readme` with the text between the markers replaced by the current table."""
    head, start, rest = readme.partition(START)
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the README lacks the markers {START!r} … {END!r}")
    return f"{head}{START}\n{table()}{END}{tail}"


if __name__ == "__main__":  # pragma: no cover - python -m localpack.config.docs
    README.write_text(with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the key table of {README}", file=sys.stderr)
