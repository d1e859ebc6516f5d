"""The `--events` stream: one JSON object per line on stderr, `{"event": <kind>, …}`, for programs that drive
localpack (`localpack ui` runs builds that way). Each kind is a dataclass with one `to_json`/`from_json`;
`parse` turns a line back into one. The shapes are in docs/architecture.md.

- `progress`: the build's phase and crate counts (core/progress.py);
- `line`: one raw output line of the build; `note`: a sentence to read whatever the display;
- `info`, `success`, `warning`, `hint`: a console message; `error`: a `LocalpackError`; `table`: rows;
- `end`: the ui's own last event of a job (never written by the CLI).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar

from localpack import jsonio

MESSAGE_KINDS = ("info", "success", "warning", "hint")


class _Event:
    """`to_json`/`from_json` by the dataclass's fields, under the kind's name."""

    KIND: ClassVar[str]

    @property
    def event(self) -> str:
        return self.KIND

    def to_json(self) -> dict[str, Any]:
        return {"event": self.event, **asdict(self)}  # type: ignore[call-overload]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Any:
        """The event from its JSON object; `ValueError` if a field is missing."""
        try:
            return cls(**{f.name: data[f.name] for f in fields(cls)})  # type: ignore[arg-type]
        except KeyError as e:
            raise ValueError(f"{data.get('event')!r} event without {e}") from None


@dataclass(frozen=True)
class ProgressEvent(_Event):
    KIND = "progress"
    phase: str
    detail: str
    crates_done: int
    crates_total: int | None
    crate: str | None
    elapsed_s: float


@dataclass(frozen=True)
class LineEvent(_Event):
    KIND = "line"
    text: str


@dataclass(frozen=True)
class NoteEvent(_Event):
    KIND = "note"
    text: str


@dataclass(frozen=True)
class MessageEvent(_Event):
    """A console message; its kind is the event's name."""

    KIND = "message"
    kind: str  # one of MESSAGE_KINDS
    text: str

    @property
    def event(self) -> str:
        return self.kind

    def to_json(self) -> dict[str, Any]:
        return {"event": self.kind, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageEvent:
        return cls(data["event"], str(data.get("text", "")))


@dataclass(frozen=True)
class ErrorEvent(_Event):
    KIND = "error"
    code: str
    message: str
    hint: str | None
    cause: str | None

    @property
    def text(self) -> str:
        return " — ".join(part for part in (self.message, self.hint) if part)


@dataclass(frozen=True)
class TableEvent(_Event):
    KIND = "table"
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class EndEvent(_Event):
    KIND = "end"
    state: str


Event = ProgressEvent | LineEvent | NoteEvent | MessageEvent | ErrorEvent | TableEvent | EndEvent
_BY_KIND: dict[str, type[_Event]] = {
    **{c.KIND: c for c in (ProgressEvent, LineEvent, NoteEvent, ErrorEvent, TableEvent, EndEvent)},
    **dict.fromkeys(MESSAGE_KINDS, MessageEvent),
}


def from_json(data: Any) -> Event | None:
    """The typed event of a JSON object, or None if it is not one (another kind, a missing field)."""
    kind = _BY_KIND.get(data.get("event")) if isinstance(data, dict) else None
    try:
        return kind.from_json(data) if kind is not None else None
    except (ValueError, TypeError):
        return None


def parse(line: str) -> Event | None:
    """One line of a `--events` stream as its event; None for any other line (e.g. the `--json` result)."""
    if not line.startswith('{"event"'):
        return None
    try:
        return from_json(jsonio.loads(line))
    except ValueError:
        return None


def to_line(event: Event) -> str:
    return json.dumps(event.to_json(), ensure_ascii=False)
