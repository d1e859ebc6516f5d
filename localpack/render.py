"""AppConfig → the files of a Tauri v2 project, through the Jinja2 templates in `templates/`.

Pure: reads templates and the user's files, returns bytes per relative path.
Writing them into a workspace is `workspace.py`'s job.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from localpack import versions
from localpack.config import AppConfig
from localpack.escape import FILTERS

TEMPLATE_SUFFIX = ".j2"
WEB_DIR = "dist"  # where a local web app's files go in the workspace
# Tauri's schema: productName must match ^[^/\\:*?"<>|]+$ (it names files and folders).
_NOT_IN_PRODUCT_NAME = re.compile(r'[/\\:*?"<>|]+')


def templates_dir() -> Path:
    """Installed: `localpack/templates`; from a source checkout: the repo's `templates/`."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


def project_dir() -> Path:
    return templates_dir() / "project"


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
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


def product_name(cfg: AppConfig) -> str:
    """The title, minus the characters a file name cannot hold; the machine name if nothing is left."""
    cleaned = " ".join(_NOT_IN_PRODUCT_NAME.sub(" ", cfg.app.title).split())
    return cleaned or cfg.name


def context(cfg: AppConfig) -> dict[str, Any]:
    crate = cfg.name
    return {
        "cfg": cfg,
        "app": cfg.app,
        "window": cfg.window,
        "behavior": cfg.behavior,
        "bundle": cfg.bundle,
        "crate_name": crate,
        "product_name": product_name(cfg),
        "lib_name": crate.replace("-", "_") + "_lib",
        "versions": versions,
        "web_dir": WEB_DIR,
    }


def render(cfg: AppConfig) -> dict[str, bytes]:
    """Every file of the project, keyed by POSIX path relative to the workspace root."""
    root = project_dir()
    env = _environment()
    ctx = context(cfg)
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        if rel.endswith(TEMPLATE_SUFFIX):
            text = env.get_template(f"project/{rel}").render(ctx)
            files[rel[: -len(TEMPLATE_SUFFIX)]] = text.encode("utf-8")
        else:
            files[rel] = path.read_bytes()
    if cfg.app.dist is not None:
        for path in sorted(cfg.app.dist.rglob("*")):
            if path.is_file():
                files[f"{WEB_DIR}/{path.relative_to(cfg.app.dist).as_posix()}"] = path.read_bytes()
    return files
