"""The one JSON reader for what comes from disk, a child process or the network: JSON within limits.

Python's `json` recurses once per level of nesting (a document of 100,000 `[` raises RecursionError),
reads numbers of any length (`str()` of an integer of more than 4,300 digits raises ValueError later,
wherever it is printed) and decodes `"\\ud800"` into a string that can never be written as UTF-8 again.
`loads` refuses each of these, and anything over its size bound, with `BadJSON`, before or right after
parsing, so no caller meets a RecursionError or an unwritable string. `BadJSON` is a ValueError, like
`json`'s own errors, and is also what invalid JSON raises here: a caller handles one error type.

The limits (the README's "What localpack protects against" lists them): `MAX_BYTES` unless the caller
gives its own, `MAX_DEPTH` levels of arrays and objects, `MAX_NUMBER` characters in one number, no NaN
or Infinity (not JSON) and no number beyond a float, no lone surrogate in any string or key.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_BYTES = 16 << 20
MAX_DEPTH = 64  # localpack's own files nest at most 5 levels, a GitHub reply about 6
MAX_NUMBER = 100  # characters: ids, sizes and times are under 25

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class BadJSON(ValueError):
    """Not JSON, or JSON beyond one of the limits; the message says which, in a few words."""


def _number(text: str) -> str:
    if len(text) > MAX_NUMBER:
        raise BadJSON(f"a number of {len(text)} characters (at most {MAX_NUMBER})")
    return text


def _int(text: str) -> int:
    return int(_number(text))


def _float(text: str) -> float:
    value = float(_number(text))
    if math.isinf(value):  # 1e999: json.dumps would write it back as Infinity, which is not JSON
        raise BadJSON(f"the number {text} is beyond a 64-bit float")
    return value


def _constant(name: str) -> Any:
    raise BadJSON(f"{name} is not a JSON value")


def _depth(text: str) -> int:
    """How deep arrays and objects nest in `text`, counted without parsing (brackets in strings skipped)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def first_string(value: Any, test: Callable[[str], bool]) -> str | None:
    """Where in `value` the first string (a key or a value) that passes `test` sits, as a dotted path
    (`desktop.name`, `jsFile[2]`; "" for `value` itself); None when there is none. Iterative: `value` may be wide."""
    todo: list[tuple[str, Any]] = [("", value)]
    while todo:
        where, node = todo.pop()
        if isinstance(node, dict):
            for key, item in reversed(node.items()):
                shown = key.encode("utf-8", "backslashreplace").decode("utf-8")  # a key may be half a pair
                here = f"{where}.{shown}" if where else shown
                if test(key):
                    return here
                todo.append((here, item))
        elif isinstance(node, list):
            todo.extend((f"{where}[{i}]", item) for i, item in reversed(list(enumerate(node))))
        elif isinstance(node, str) and test(node):
            return where
    return None


def _lone_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def loads(data: bytes | str, *, limit: int = MAX_BYTES, depth: int = MAX_DEPTH) -> Any:
    """The value of the JSON document `data` (UTF-8 bytes, a BOM allowed, or text); `BadJSON` when it is
    not JSON or breaks a limit."""
    if len(data) > limit:
        raise BadJSON(f"larger than {_size(limit)}")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise BadJSON(f"not UTF-8 text (byte {e.start})") from None
    else:
        text = data
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise BadJSON(f"holds a character that is not text (position {e.start})") from None
    if text.count("[") + text.count("{") > depth and _depth(text) > depth:
        raise BadJSON(f"nested more than {depth} levels deep")
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except BadJSON:
        raise
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise BadJSON(f"nested more than {depth} levels deep") from None
    except ValueError as e:  # json.JSONDecodeError, and int() of a number beyond Python's digit limit
        raise BadJSON(str(e)) from None
    if _SURROGATE_ESCAPE.search(text):
        where = first_string(value, _lone_surrogate)
        if where is not None:
            raise BadJSON(
                f"the string at {where or 'the top'} holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text"
            )
    return value


def read(path: Path, *, limit: int = MAX_BYTES, depth: int = MAX_DEPTH) -> Any:
    """The JSON document in the file `path`: a regular file (a FIFO would block, a device never end) of at
    most `limit` bytes. `OSError` when it cannot be opened or read, `BadJSON` for all the rest."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadJSON("not a regular file")
        data = f.read(limit + 1)
    return loads(data, limit=limit, depth=depth)


def _size(limit: int) -> str:
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB" if limit >= 1 << 10 else f"{limit} bytes"
