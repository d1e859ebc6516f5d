"""AppConfig → the files of an app's Tauri project: the fixed runtime crate, the app's `tauri.conf.json`
(through the Jinja2 templates in `templates/`) and its resources under `src-tauri/localpack/`.

The same files serve both ways of building: `tauri bundle` around a compiled runtime (no compile),
or `tauri build` of this project (`build --compile`). Pure: reads templates and the user's files,
returns bytes per relative path. Writing them into a workspace is `workspace.py`'s job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from localpack.config import web_folder
from localpack.config.model import AppConfig
from localpack.core.templates import environment, templates_dir
from localpack.project import app_settings, runtime_source
from localpack.project.metadata import package_app, wix_product_name

TEMPLATE_SUFFIX = ".j2"
SRC = "src-tauri"
ICONS_DIR = f"{SRC}/icons"
RESOURCES = f"{SRC}/localpack"  # bundled as the app's resources; the runtime reads them at start-up
WEB_DIR = f"{RESOURCES}/web"  # a local web app's files, or a url app's retry page
INJECT_DIR = f"{RESOURCES}/inject"  # the user's .js files, each its own initialization script
ICON_FILE = "icon.png"  # the window and tray icon, read at start-up (512 px)


def project_dir() -> Path:
    return templates_dir() / "project"


def builtin_icons() -> dict[str, bytes]:
    """The runtime crate's own icon set (`runtime/icons`: what plain cargo on the crate embeds), by file name."""
    prefix = "icons/"
    return {rel.removeprefix(prefix): data for rel, data in runtime_source.sources().items() if rel.startswith(prefix)}


def context(cfg: AppConfig) -> dict[str, Any]:
    """The template variables of the app's config files."""
    return {
        "cfg": cfg,
        "app": package_app(cfg),  # the values package metadata gets (project/metadata.py)
        "bundle": cfg.bundle,
        "crate_name": cfg.name,
        "product_name": app_settings.product_name(cfg),
        "windows_product_name": wix_product_name(cfg, app_settings.windows_product_name(cfg)),
        "window": app_settings.window_config(cfg),
        "resources": RESOURCES.removeprefix(SRC + "/") + "/",
    }


def render(
    cfg: AppConfig,
    icons: Mapping[str, bytes] | None = None,
    jquery: bytes | None = None,
    warn: Callable[[str], None] | None = None,
) -> dict[str, bytes]:
    """Every file of the app's project, keyed by POSIX path relative to the workspace root.

    `icons` (file name → bytes, from `localpack.project.icons`) replaces the built-in icon set;
    `jquery` is the pinned jQuery, needed when `behavior.inject_jquery` is on; `warn` hears, once, what of
    the web app's folder is left out (`config.web_folder`).
    """
    files = {
        f"{SRC}/{rel}": data
        for rel, data in runtime_source.sources().items()
        if rel != "tauri.conf.json" and not rel.startswith("icons/")
    }
    env, ctx, root = environment(), context(cfg), project_dir()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or path.name.startswith("."):
            continue
        if rel.endswith(TEMPLATE_SUFFIX):
            files[rel[: -len(TEMPLATE_SUFFIX)]] = env.get_template(f"project/{rel}").render(ctx).encode("utf-8")
        else:
            files[rel] = path.read_bytes()
    icon_set = dict(icons) if icons else builtin_icons()
    files.update({f"{ICONS_DIR}/{name}": data for name, data in icon_set.items()})
    files[f"{RESOURCES}/{ICON_FILE}"] = icon_set[ICON_FILE]
    files.update(_resources(cfg, jquery, warn))
    return files


def _resources(cfg: AppConfig, jquery: bytes | None, warn: Callable[[str], None] | None) -> dict[str, bytes]:
    scripts = app_settings.injected_js(cfg)
    out = {f"{INJECT_DIR}/{name}": data for name, data in scripts.items()}
    if cfg.behavior.inject_jquery:
        if jquery is None:
            raise ValueError("behavior.inject_jquery needs the jQuery bytes")  # the caller's bug, not the user's
        out[f"{RESOURCES}/jquery.min.js"] = jquery
    settings = app_settings.settings(cfg, sorted(scripts))
    out[f"{RESOURCES}/app.json"] = (json.dumps(settings, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if cfg.app.url and cfg.behavior.retry_page:
        page = environment().get_template("offline.html.j2").render(context(cfg))
        out[f"{WEB_DIR}/index.html"] = page.encode("utf-8")
    if cfg.app.dist is not None:
        web = web_folder.collect(cfg.app.dist, cfg.app.dist_include)  # hidden files stay out; names checked
        for rel, path in web.files:
            out[f"{WEB_DIR}/{rel}"] = path.read_bytes()
        warning = web.warning()
        if warning and warn is not None:
            warn(warning)
    return out


def render_runtime(icons: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """The project a runtime is compiled from: the runtime crate as it is, with its own icon set unless `icons`
    replaces it (`generate_context!` embeds an icon; each app's own comes from its resources at start-up)."""
    files = {f"{SRC}/{rel}": data for rel, data in runtime_source.sources().items()}
    files.update({f"{ICONS_DIR}/{name}": data for name, data in (icons or {}).items()})
    return files
