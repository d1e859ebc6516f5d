"""`--from-pakeplus FILE` on render/build: the imported values as config overrides, with the files the
import made (icon, customJs, filterCss) kept in the cache, `<cache>/pakeplus/<digest of the file>/`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from localpack.config import pakeplus


def overrides(
    path: Path, cache: Path, *, has_source: bool, info: Callable[[str], None], warn: Callable[[str], None]
) -> dict[str, Any]:
    """The config overrides of a ppconfig.json; what the import says goes to `info`/`warn`."""
    data = pakeplus.read(path)  # first: it refuses what is not a regular file (a FIFO, a link loop) with one line
    source = path.expanduser().resolve()
    imported = pakeplus.convert(data, source, has_source=has_source, shown=str(path))
    pakeplus.tell(imported.messages(), info=info, warn=warn)
    folder = cache / "pakeplus" / hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    if imported.files:
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, content in imported.files.items():
            target = folder / file_name
            if not target.is_file() or target.read_bytes() != content:
                target.write_bytes(content)

    def absolute(value: Any) -> Any:
        if isinstance(value, Path):
            return value if value.is_absolute() else folder / value
        if isinstance(value, list):
            return [absolute(x) for x in value]
        return value

    return {key: absolute(value) for key, value in imported.values.items()}
