"""Human output goes to stderr, machine output (`--json`) to stdout. Nothing else prints."""

from __future__ import annotations

import json
import sys
from typing import Any

from localpack.errors import LocalpackError


def _color(text: str, fg: str) -> str:
    if not sys.stderr.isatty():
        return text
    codes = {"red": "31", "green": "32", "yellow": "33", "dim": "2", "bold": "1"}
    return f"\033[{codes[fg]}m{text}\033[0m"


def info(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def success(text: str) -> None:
    info(_color(text, "green"))


def warn(text: str) -> None:
    info(_color("warning: ", "yellow") + text)


def error(err: LocalpackError) -> None:
    info(_color("error: ", "red") + err.message)
    if err.hint:
        info(_color("hint: ", "dim") + err.hint)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def error_json(err: LocalpackError) -> dict[str, Any]:
    """The `error` object of the `--json` shapes (docs/architecture.md)."""
    return {"code": err.code, "message": err.message, "hint": err.hint, "cause": err.cause}
