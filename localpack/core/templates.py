"""The Jinja2 templates: where they are (inside the installed package, or the checkout's `templates/`) and the
one environment that renders them, with every escaping filter of `escape.py` and undefined names as errors."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from localpack.core.escape import FILTERS


def templates_dir() -> Path:
    """Installed: `localpack/templates`; from a source checkout: the repo's `templates/`."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


@functools.lru_cache(maxsize=1)
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env
