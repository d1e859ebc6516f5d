"""What an import gives: the config values, the files to write, the fate of every field, and the messages
for the user as data (the caller prints them: the config layer does not)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

INFO, WARNING = "info", "warning"


@dataclass(frozen=True)
class Message:
    level: Literal["info", "warning"]
    text: str


@dataclass
class Imported:
    values: dict[str, Any]  # "section.key" → value; files of `files` as relative Paths, others absolute
    shown: str = "ppconfig.json"  # the file as the user gave it, for every message
    files: dict[str, bytes] = field(default_factory=dict)  # file name → content, to write beside the config
    notes: list[str] = field(default_factory=list)  # conversions and disagreements; also comments in the file
    unmapped: list[str] = field(default_factory=list)  # settings with no equivalent and unknown fields
    warnings: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # bookkeeping and settings at PakePlus's default
    fates: dict[str, str] = field(default_factory=dict)  # field path → MAPPED, SAME, NAMED or IGNORED

    def messages(self) -> list[Message]:
        """What the user is told: each note, each warning, the fields not imported."""
        said = [Message(INFO, f"note: {note}") for note in self.notes]
        said += [Message(WARNING, f"{self.shown}: {text}") for text in self.warnings]
        if self.unmapped:
            said.append(
                Message(
                    WARNING,
                    f"{self.shown}: PakePlus fields with no localpack equivalent "
                    "(not imported): " + "; ".join(self.unmapped),
                )
            )
        if self.ignored:
            said.append(
                Message(
                    INFO,
                    f"{self.shown}: not imported, nothing lost (PakePlus bookkeeping or left at "
                    "PakePlus's default): " + _grouped(self.ignored),
                )
            )
        return said


def tell(messages: Iterable[Message], *, info: Callable[[str], None], warn: Callable[[str], None]) -> None:
    """Hand each message to the caller's `info` or `warn`."""
    for message in messages:
        (warn if message.level == WARNING else info)(message.text)


def _grouped(paths: list[str]) -> str:
    """'a, b; desktop: c, d; more.windows: e': one short line for many fields."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        prefix, _, key = path.rpartition(".")
        groups.setdefault(prefix, []).append(key)
    return "; ".join((f"{prefix}: " if prefix else "") + ", ".join(keys) for prefix, keys in groups.items())
