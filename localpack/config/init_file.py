"""`localpack init`: a commented localpack.toml, validated before it is written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from localpack.config import keys, schema
from localpack.config import model as config
from localpack.config.names import machine_name
from localpack.core.messages import Msg
from localpack.core.templates import environment
from localpack.errors import ConfigError
from localpack.fsutil import user_path, write_file, writing_into

PLACEHOLDER_URL = "https://example.com"
# Keys a new file sets to their defaults (the others are commented out), so the first edit is obvious.
SET_IN_NEW_FILE = ("app.version", "app.description", "window.width", "window.height")
_GENERIC_FOLDERS = {"dist", "build", "public", "www", "out", "web", "site", "html"}


def name_from_url(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:  # not a URL: the config's rules say so when the file is checked
        host = ""
    return machine_name(host.split(".")[0] if host.count(".") >= 1 else host)


def name_from_folder(folder: Path) -> str:
    folder = user_path(folder)
    if folder.name.lower() in _GENERIC_FOLDERS and folder.parent != folder:
        folder = folder.parent
    return machine_name(folder.name)


def write_initial_config(
    directory: Path,
    *,
    url: str | None,
    dist: Path | None,
    name: str | None,
    title: str | None,
    force: bool,
    from_pakeplus: Path | None = None,
    more: Mapping[str, Any] | None = None,
    files: Mapping[str, bytes] | None = None,
    warn: Callable[[str], None],
    info: Callable[[str], None] | None = None,
) -> Path:
    """Write `directory/localpack.toml`; returns its path. `more` holds further values ("section.key" → value;
    paths absolute or relative to `directory`) over what init chooses; `files` are written beside the config
    (an uploaded icon) and removed again when the config is refused. `warn` tells the user of a placeholder;
    `warn` and `info` get what a PakePlus import says (without `info`, its notes are only comments in the file)."""
    directory = user_path(directory)
    target = directory / config.DEFAULT_CONFIG
    if target.exists() and not force:
        raise ConfigError(
            Msg("{path} already exists", path=target), "pass --force to overwrite it, or --dir to write elsewhere"
        )
    if url and dist:
        raise ConfigError(Msg("--url and --dist were both given"), "an app wraps either a web site or a local folder")
    if not directory.is_dir():
        raise ConfigError(Msg("--dir {path} is not an existing folder", path=directory), "create it first")
    values: dict[str, Any] = {}
    notes: list[str] = []
    assets: dict[str, bytes] = {}
    if from_pakeplus is not None:
        from localpack.config import pakeplus  # lazy: only --from-pakeplus needs the importer

        imported = pakeplus.convert(
            pakeplus.read(from_pakeplus),
            from_pakeplus.expanduser().resolve(),
            has_source=bool(url or dist),
            shown=str(from_pakeplus),
        )
        pakeplus.tell(imported.messages(), info=info or (lambda _text: None), warn=warn)
        values = _relative_paths(imported.values, directory)
        notes = [f"Imported from {from_pakeplus.name} (PakePlus)."] + [f"- {n}" for n in imported.notes]
        notes += [f"- warning: {w}" for w in imported.warnings]
        notes += [f"- not imported (no localpack equivalent): {u}" for u in imported.unmapped]
        assets = imported.files
        values.update({k: v for k, v in (("app.name", name), ("app.title", title)) if v})
    if dist is not None:
        dist_abs = user_path(dist)
        values["app.dist"] = _relative(dist_abs, directory)
        values.pop("app.url", None)
        values.setdefault("app.name", name or name_from_folder(dist_abs))
    elif url:
        values["app.url"] = url
        values.pop("app.dist", None)
        values.setdefault("app.name", name or name_from_url(url))
    elif not values:
        values["app.url"] = PLACEHOLDER_URL
        values["app.name"] = name or name_from_folder(directory)
        warn(f"no --url or --dist given: {PLACEHOLDER_URL} is a placeholder, change `url` in the file")
    if not from_pakeplus:
        values.update(
            {
                "app.title": title or values["app.name"],
                "app.identifier": "com.localpack." + values["app.name"].replace("-", ""),
                **{dotted: keys.BY_DOTTED[dotted].default for dotted in SET_IN_NEW_FILE},
            }
        )
    if more:
        values.update(_relative_paths(dict(more), directory))
    assets.update(files or {})
    text = (
        environment()
        .get_template("localpack.toml.j2")
        .render(
            values=values,
            notes=notes,
            schema=schema.directive(),
            by_dotted=keys.BY_DOTTED,
            sections=[(name, keys.of_section(name)) for name in keys.SECTIONS],
            pair=[f"{keys.EXACTLY_ONE[0]}.{k}" for k in keys.EXACTLY_ONE[1]],
        )
    )
    written: list[Path] = []
    for file_name in assets:
        if (directory / file_name).exists() and not force:
            raise ConfigError(Msg("{path} already exists", path=directory / file_name), "pass --force to overwrite it")
    with writing_into(target):
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".localpack.", suffix=".toml")
    try:
        for file_name, data in assets.items():
            write_file(directory / file_name, data)
            written.append(directory / file_name)
        with writing_into(target), os.fdopen(fd, "w", encoding="utf-8") as f:  # a full disk names the config
            f.write(text)
        try:
            config.load(Path(tmp), require_file=True)
        except config.InvalidConfig as e:
            raise config.InvalidConfig(
                e.message.replace(tmp, str(target)), "fix the flag's value and run init again", e.problems
            ) from None
        except ConfigError as e:
            message = e.message.replace(tmp, str(target))
            if from_pakeplus is not None:
                message += f" (the value comes from {from_pakeplus})"
                raise ConfigError(
                    message, "fix that field in the PakePlus file, or pass the flag that sets it, and run init again"
                ) from None
            raise ConfigError(message, "fix the flag's value and run init again") from None
        with writing_into(target):
            os.replace(tmp, target)
        written = []
    finally:
        Path(tmp).unlink(missing_ok=True)
        for path in written:  # only when the config was not written
            path.unlink(missing_ok=True)
    return target


def _relative(path: Path, directory: Path) -> str:
    value = os.path.relpath(path, directory).replace(os.sep, "/")
    return value if value.startswith(".") else "./" + value


def _relative_paths(values: dict[str, Any], directory: Path) -> dict[str, Any]:
    """Absolute paths of an import → paths relative to the config's folder, as the file wants them."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Path):
            value = _relative(value, directory) if value.is_absolute() else value.as_posix()
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], Path):
            value = [_relative(v, directory) if v.is_absolute() else v.as_posix() for v in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out
