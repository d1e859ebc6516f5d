"""Human output goes to stderr (through a `Console`), machine output (`--json`) to stdout. Nothing else
prints."""

from __future__ import annotations

import functools
import json
import sys
from typing import Any

from localpack.errors import LocalpackError
from localpack.events import ErrorEvent, Event, MessageEvent, TableEvent, to_line


class Console:
    """Where a command's human text, events and questions go: one per command, made by the CLI and passed
    down to every function that talks to the user.

    Text goes to stderr, styled through rich on a terminal (rich honours `NO_COLOR`) and plain elsewhere.
    With `events`, every message is one JSON line on stderr instead, for programs that drive localpack
    (`localpack ui` runs builds that way). Machine output (`--json`) goes to stdout through `emit_json`.
    """

    def __init__(self, *, events: bool = False) -> None:
        self.events = events

    # -------------------------------------------------------------- messages
    def info(self, text: str) -> None:
        self._say("info", text)

    def success(self, text: str) -> None:
        self._say("success", text, "green")

    def warn(self, text: str) -> None:
        self._say("warning", text, "yellow", "warning: ")

    def error(self, err: LocalpackError) -> None:
        if self.events:
            self.event(ErrorEvent(**error_json(err)))
            return
        self._say("error", err.message, "red", "error: ")
        if err.hint:
            self._say("hint", err.hint, "dim", "hint: ")

    def table(self, headers: tuple[str, ...], rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> None:
        """Rows under headers: a rich table on a terminal, aligned plain columns elsewhere."""
        if self.events:
            self.event(TableEvent(list(headers), [list(r) for r in rows]))
        elif _styled():
            from rich.table import Table

            grid = Table(box=None, pad_edge=False, header_style="bold")
            for i, name in enumerate(headers):
                grid.add_column(name, justify="right" if i in right else "left", overflow="fold")
            for row in rows:
                grid.add_row(*row)
            _rich().print(grid)
        else:
            widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
            for row in rows:
                cells = [
                    f"{c:>{w}}" if i in right else f"{c:<{w}}" for i, (c, w) in enumerate(zip(row, widths, strict=True))
                ]
                print("  " + "  ".join(cells).rstrip(), file=sys.stderr, flush=True)

    def event(self, event: Event) -> None:
        """One JSON line on stderr (only programs that asked for `--events` read them)."""
        sys.stderr.write(to_line(event) + "\n")
        sys.stderr.flush()

    # -------------------------------------------------------------- questions
    def can_ask(self) -> bool:
        """A person is there to answer: a terminal on stdin, and no program reading events."""
        return not self.events and sys.stdin.isatty()

    def confirm(self, question: str, *, default: bool = False) -> bool:
        """Ask a yes/no question on stderr; `default` when nobody can answer."""
        if not self.can_ask():
            return default
        import typer  # lazy: only a question needs click's prompt

        return bool(typer.confirm(question, default=default, err=True))

    # -------------------------------------------------------------- machine output
    @staticmethod
    def emit_json(data: Any) -> None:
        emit_json(data)

    def _say(self, kind: str, text: str, style: str = "", label: str = "") -> None:
        if self.events:
            self.event(MessageEvent(kind, text))
        elif _styled():
            from rich.markup import escape

            if label:
                _rich().print(f"[{style}]{label}[/]{escape(text)}")
            else:
                _rich().print(f"[{style}]{escape(text)}[/]" if style else escape(text))
        else:
            print(label + text, file=sys.stderr, flush=True)


@functools.lru_cache(maxsize=1)
def _rich() -> Any:
    """rich's console on stderr, made on first use (importing rich costs start-up time)."""
    from rich.console import Console as RichConsole

    return RichConsole(stderr=True, highlight=False, soft_wrap=True)


def _styled() -> bool:
    return sys.stderr.isatty()


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def error_json(err: LocalpackError) -> dict[str, Any]:
    """The `error` object of the `--json` shapes (docs/architecture.md)."""
    return {"code": err.code, "message": err.message, "hint": err.hint, "cause": err.cause}
