"""AppConfig → the files of a Tauri v2 project, through the Jinja2 templates in `templates/`.

Pure: reads templates and the user's files, returns bytes per relative path.
Writing them into a workspace is `workspace.py`'s job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from localpack import versions
from localpack.config import urls
from localpack.config.model import AppConfig
from localpack.core.templates import environment, templates_dir
from localpack.fsutil import walk_files
from localpack.project.metadata import package_app, wix_product_name

TEMPLATE_SUFFIX = ".j2"
WEB_DIR = "dist"  # where a local web app's files go in the workspace
INJECT_DIR = "src-tauri/inject"  # the user's .js files, each included as its own initialization script
ICONS_DIR = "src-tauri/icons"
# The host a local app is served from on Windows (http://tauri.localhost); never an external site.
TAURI_LOCAL_HOST = "tauri.localhost"
# Tauri's schema: productName must match ^[^/\\:*?"<>|]+$ (it names files and folders).
_NOT_IN_PRODUCT_NAME = re.compile(r'[/\\:*?"<>|]+')


def project_dir() -> Path:
    return templates_dir() / "project"


def product_name(cfg: AppConfig) -> str:
    """The title, minus the characters a file name cannot hold; the machine name if nothing is left."""
    cleaned = " ".join(_NOT_IN_PRODUCT_NAME.sub(" ", cfg.app.title).split())
    return cleaned or cfg.name


def windows_product_name(cfg: AppConfig) -> str:
    """Windows: the title, unless it is not ASCII and an msi may be built (WiX fails on it): then an ASCII
    form of it (accents dropped), or the machine name when nothing readable is left."""
    title = product_name(cfg)
    if title.isascii() or (cfg.bundle.targets and "msi" not in cfg.bundle.targets):
        return title
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    folded = " ".join(_NOT_IN_PRODUCT_NAME.sub(" ", folded).split())
    return folded if sum(ch.isalnum() for ch in folded) >= 2 else cfg.name


def _ascii_host(host: str) -> str:
    """A host as the webview reports it (IDNA/punycode, lowercase); '*' labels stay as they are."""
    return urls.ascii_host(host)  # the conversion the config rules checked


def internal_hosts(cfg: AppConfig) -> list[str]:
    """Host globs that stay in the app: the site's own host (without `www.`) and its subdomains,
    `internal_hosts`, and Tauri's local host. Everything else opens in the system browser."""
    hosts = [TAURI_LOCAL_HOST]
    if cfg.app.url:
        own = _ascii_host(urlsplit(cfg.app.url).hostname or "").removeprefix("www.")
        hosts += [own, "*." + own]
    hosts += [_ascii_host(h) for h in cfg.behavior.internal_hosts]
    return list(dict.fromkeys(hosts))


def injected_css(cfg: AppConfig) -> str:
    """The inject .css files in order, then one hiding rule per selector (a bad selector drops only its rule)."""
    parts = [p.read_text(encoding="utf-8") for p in cfg.behavior.inject if p.suffix.lower() == ".css"]
    parts += [f"{sel} {{ display: none !important; }}" for sel in cfg.behavior.hide_selectors]
    return "\n".join(parts)


def injected_js(cfg: AppConfig) -> dict[str, bytes]:
    """The inject .js files, renamed `NN-stem.js` so their order and names are safe in `include_str!`."""
    out: dict[str, bytes] = {}
    scripts = [p for p in cfg.behavior.inject if p.suffix.lower() == ".js"]
    for i, path in enumerate(scripts, 1):
        stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "script"
        out[f"{i:02d}-{stem}.js"] = path.read_bytes()
    return out


def tauri_features(cfg: AppConfig) -> list[str]:
    """Cargo features of the `tauri` crate. None of them is one the CLI manages
    (macos-private-api, protocol-asset, isolation), so `tauri build` leaves Cargo.toml as rendered."""
    features = []
    if cfg.behavior.devtools:
        features.append("devtools")  # the inspector in release builds
    if cfg.window.proxy:
        features.append("macos-proxy")  # proxy_url on macOS 14+
    if cfg.behavior.tray:
        features.append("tray-icon")
    return features


def context(cfg: AppConfig, scripts: Mapping[str, bytes] | None = None) -> dict[str, Any]:
    """The template variables; `scripts` are the renamed inject .js files (read here if not given)."""
    crate = cfg.name
    scripts = injected_js(cfg) if scripts is None else scripts
    start_page = bool(cfg.app.url) and cfg.behavior.retry_page
    return {
        "cfg": cfg,
        "app": package_app(cfg),  # the values package metadata gets (project/metadata.py)
        "window": cfg.window,
        "behavior": cfg.behavior,
        "bundle": cfg.bundle,
        "crate_name": crate,
        "product_name": product_name(cfg),
        "windows_product_name": wix_product_name(cfg, windows_product_name(cfg)),
        "lib_name": crate.replace("-", "_") + "_lib",
        "versions": versions,
        "web_dir": WEB_DIR,
        # A url app with the retry page bundles that page as its frontend and starts there.
        "start_page": start_page,
        "frontend_dist": "../" + WEB_DIR if (start_page or not cfg.app.url) else cfg.app.url,
        "browser_links": cfg.behavior.external_links == "browser",
        "show_main": cfg.behavior.single_instance or cfg.behavior.tray,
        "internal_hosts": internal_hosts(cfg),
        "css_text": injected_css(cfg),
        "inject_js": sorted(scripts),
        "tauri_features": tauri_features(cfg),
        "zoom_factor": cfg.window.zoom / 100,
    }


def render(cfg: AppConfig, icons: Mapping[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of the project, keyed by POSIX path relative to the workspace root.

    `icons` (file name → bytes, from `localpack.project.icons`) replaces the built-in icon set.
    """
    root = project_dir()
    env = environment()
    scripts = injected_js(cfg)
    ctx = context(cfg, scripts)
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        if rel == "src-tauri/src/links.rs.j2" and not ctx["browser_links"]:
            continue  # only the `browser` link rule needs it
        if rel.endswith(TEMPLATE_SUFFIX):
            text = env.get_template(f"project/{rel}").render(ctx)
            files[rel[: -len(TEMPLATE_SUFFIX)]] = text.encode("utf-8")
        else:
            files[rel] = path.read_bytes()
    if icons:
        files = {k: v for k, v in files.items() if not k.startswith(ICONS_DIR + "/")}
        files.update({f"{ICONS_DIR}/{name}": data for name, data in icons.items()})
    for name, data in scripts.items():
        files[f"{INJECT_DIR}/{name}"] = data
    if ctx["start_page"]:
        files[f"{WEB_DIR}/index.html"] = env.get_template("offline.html.j2").render(ctx).encode("utf-8")
    if cfg.app.dist is not None:
        for rel, path in walk_files(cfg.app.dist, "web app folder"):  # the symlink rule: fsutil.walk_files
            files[f"{WEB_DIR}/{rel}"] = path.read_bytes()
    return files
