"""Options shared by several commands: the config overrides, and `--json` error output."""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer

from localpack import output
from localpack.config.keys import KEYS
from localpack.config.model import DEFAULT_CONFIG, AppConfig, load
from localpack.errors import ConfigError, LocalpackError
from localpack.fsutil import path_problem, user_path
from localpack.output import Console
from localpack.paths import Paths

# Not a config key: the overrides read from a PakePlus ppconfig.json (expanded by `load_config`).
PAKEPLUS = "pakeplus"


# (parameter, flag, config key, type, help): one per key of localpack.toml (`config.keys`), a list's flag
# repeatable; `type` is the value's (each item's, for a list). Paths are resolved against the current directory.
OVERRIDES: list[tuple[str, str, str, Any, str]] = [
    *((k.param, k.option, k.dotted, k.kind.item, k.flag_help) for k in KEYS),
    ("from_pakeplus", "--from-pakeplus", PAKEPLUS, Path, "A PakePlus ppconfig.json; other flags override it."),
]
_MANY = {k.dotted for k in KEYS if k.kind.many}


def with_overrides(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add the override flags to a command; it receives them as `overrides: dict` ("section.key" → value)."""
    sig = inspect.signature(fn)
    params = [p for p in sig.parameters.values() if p.name != "overrides"]
    taken = {p.name for p in params} & {param for param, *_ in OVERRIDES}
    if taken:  # pragma: no cover - a new key whose flag a command already has
        raise TypeError(f"{fn.__name__}: parameters {sorted(taken)} are also config override flags")
    for param, flag, key, typ, help_text in OVERRIDES:
        params.append(
            inspect.Parameter(
                param,
                inspect.Parameter.KEYWORD_ONLY,
                default=typer.Option(None, flag, help=help_text, rich_help_panel="Overrides"),
                annotation=list[typ] | None if key in _MANY else typ | None,
            )
        )

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        overrides: dict[str, Any] = {}
        for param, _flag, key, typ, _help in OVERRIDES:
            value = kwargs.pop(param, None)
            if value is None or (key in _MANY and not value):
                continue
            if typ is Path and key != PAKEPLUS:  # paths against the current directory; the PakePlus file as given
                value = [_flag_path(v) for v in value] if key in _MANY else _flag_path(value)
            overrides[key] = list(value) if key in _MANY else value
        return fn(*args, overrides=overrides, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    return wrapper


def _flag_path(value: Path) -> Path | str:
    """A path flag against the current directory; one that cannot name a file stays text, so the config's type
    check names its key and the rule (`~nobody/…`)."""
    return str(value) if path_problem(str(value)) else user_path(value)


def load_config(config_file: Path | None, overrides: dict[str, Any], console: Console | None = None) -> AppConfig:
    """The config of a command: CONFIG if given (must exist), else ./localpack.toml if present, plus flags
    (and a `--from-pakeplus` file's values, which the other flags override). The import's notes and warnings go
    to `console` (a plain one when none is given)."""
    console = console or Console()
    pakeplus_file = overrides.get(PAKEPLUS)
    if pakeplus_file is not None:
        from localpack.project import pakeplus_files  # lazy: only --from-pakeplus needs the importer

        flags = {k: v for k, v in overrides.items() if k != PAKEPLUS}
        has_source = "app.url" in flags or "app.dist" in flags
        imported = pakeplus_files.overrides(
            pakeplus_file, Paths.from_env().cache, has_source=has_source, info=console.info, warn=console.warn
        )
        overrides = {**imported, **flags}
    try:
        if config_file is not None:
            return load(config_file, overrides, require_file=True)
        default = Path(DEFAULT_CONFIG)
        if not default.exists() and not overrides:
            raise ConfigError(
                f"no {DEFAULT_CONFIG} here and no --url/--dist given",
                "run `localpack init --url https://example.com`, or pass --url URL --name NAME",
            )
        return load(default, overrides)
    except ConfigError as e:
        if pakeplus_file is None:
            raise
        raise ConfigError(f"{e.message} (with the values of {pakeplus_file})", e.hint) from None


@contextlib.contextmanager
def json_errors(enabled: bool, shape: dict[str, Any] | None = None) -> Iterator[None]:
    """With --json, a failure still prints one JSON object on stdout (then exits as usual).

    `shape` holds the command's other keys, so the object has the same keys as on success.
    """
    try:
        yield
    except LocalpackError as e:
        if enabled:
            output.emit_json({**(shape or {"ok": False}), "error": output.error_json(e)})
        raise
