"""`localpack init`: a commented localpack.toml, validated before it is written."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from localpack import config, output
from localpack.errors import ConfigError
from localpack.render import _environment

PLACEHOLDER_URL = "https://example.com"
_GENERIC_FOLDERS = {"dist", "build", "public", "www", "out", "web", "site", "html"}


def machine_name(text: str, fallback: str = "my-app") -> str:
    """A valid `app.name` from any text: ASCII-folded, lowercase, runs of other characters → '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    name = re.sub(r"^[^a-z]+", "", name)[:63].strip("-")
    return name or fallback


def name_from_url(url: str) -> str:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return machine_name(host.split(".")[0] if host.count(".") >= 1 else host)


def name_from_folder(folder: Path) -> str:
    folder = folder.resolve()
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
) -> Path:
    directory = directory.expanduser().resolve()
    target = directory / config.DEFAULT_CONFIG
    if target.exists() and not force:
        raise ConfigError(f"{target} already exists", "pass --force to overwrite it, or --dir to write elsewhere")
    if url and dist:
        raise ConfigError("--url and --dist were both given", "an app wraps either a web site or a local folder")
    if not directory.is_dir():
        raise ConfigError(f"--dir {directory} is not an existing folder", "create it first")
    dist_value = ""
    if dist is not None:
        dist_abs = dist.expanduser().resolve()
        dist_value = os.path.relpath(dist_abs, directory).replace(os.sep, "/")
        if not dist_value.startswith("."):
            dist_value = "./" + dist_value
        name = name or name_from_folder(dist_abs)
    elif not url:
        url = PLACEHOLDER_URL
        name = name or name_from_folder(directory)
        output.warn(f"no --url or --dist given: {PLACEHOLDER_URL} is a placeholder, change `url` in the file")
    else:
        name = name or name_from_url(url)
    values = {
        "name": name,
        "title": title or name,
        "identifier": "com.localpack." + name.replace("-", ""),
        "version": "1.0.0",
        "description": "",
        "url": url or "",
        "dist": dist_value,
        "icon": "",
        "width": 1200,
        "height": 780,
    }
    text = _environment().get_template("localpack.toml.j2").render(values)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".localpack.", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            config.load(Path(tmp), require_file=True)
        except ConfigError as e:
            raise ConfigError(e.message.replace(tmp, str(target)), "fix the flag's value and run init again") from None
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
