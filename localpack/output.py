"""Human output goes to stderr, machine output (`--json`) to stdout. Nothing else prints.

On a terminal, text is styled through rich (which honours `NO_COLOR`); elsewhere it is plain. With
`use_events()` every message becomes one JSON line on stderr instead, for programs that drive localpack
(`localpack ui` runs builds that way).
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any

from localpack.errors import LocalpackError

_events = False


def use_events(on: bool = True) -> None:
    """Messages become JSON lines (`{"event": "warning", "text": …}`) on stderr."""
    global _events
    _events = on


def events_enabled() -> bool:
    return _events


def emit_event(data: dict[str, Any]) -> None:
    sys.stderr.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stderr.flush()


@functools.lru_cache(maxsize=1)
def console() -> Any:
    """rich's console on stderr, made on first use (importing rich costs start-up time)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _styled() -> bool:
    return sys.stderr.isatty()


def _say(kind: str, text: str, style: str = "", label: str = "") -> None:
    if _events:
        emit_event({"event": kind, "text": text})
    elif _styled():
        from rich.markup import escape

        if label:
            console().print(f"[{style}]{label}[/]{escape(text)}")
        else:
            console().print(f"[{style}]{escape(text)}[/]" if style else escape(text))
    else:
        print(label + text, file=sys.stderr, flush=True)


def info(text: str) -> None:
    _say("info", text)


def success(text: str) -> None:
    _say("success", text, "green")


def warn(text: str) -> None:
    _say("warning", text, "yellow", "warning: ")


def error(err: LocalpackError) -> None:
    if _events:
        emit_event({"event": "error", **error_json(err)})
        return
    _say("error", err.message, "red", "error: ")
    if err.hint:
        _say("hint", err.hint, "dim", "hint: ")


def table(headers: tuple[str, ...], rows: list[tuple[str, ...]], right: tuple[int, ...] = ()) -> None:
    """Rows under headers: a rich table on a terminal, aligned plain columns elsewhere."""
    if _events:
        emit_event({"event": "table", "headers": list(headers), "rows": [list(r) for r in rows]})
    elif _styled():
        from rich.table import Table

        grid = Table(box=None, pad_edge=False, header_style="bold")
        for i, name in enumerate(headers):
            grid.add_column(name, justify="right" if i in right else "left", overflow="fold")
        for row in rows:
            grid.add_row(*row)
        console().print(grid)
    else:
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        for row in rows:
            cells = [f"{c:>{w}}" if i in right else f"{c:<{w}}" for i, (c, w) in enumerate(zip(row, widths))]
            print("  " + "  ".join(cells).rstrip(), file=sys.stderr, flush=True)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def error_json(err: LocalpackError) -> dict[str, Any]:
    """The `error` object of the `--json` shapes (docs/architecture.md)."""
    return {"code": err.code, "message": err.message, "hint": err.hint, "cause": err.cause}
