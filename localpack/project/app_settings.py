"""AppConfig → what the app runtime reads at start-up (`localpack/app.json`), and the names an app has on
each platform. Everything that makes one app differ from another is data here, not compiled code."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from localpack.config import urls
from localpack.config.model import AppConfig
from localpack.core.platform import host_os

# The host a local app's pages come from on Windows (http://localpack.localhost); never an external site.
LOCAL_HOST = "localpack.localhost"
# The identity providers' sign-in pages, always kept in the app as popups, so that "Sign in with
# Google/Microsoft/Apple/GitHub" works out of the box; `behavior.signin_hosts` adds more.
SIGNIN_HOSTS = (
    "accounts.google.com",
    "login.microsoftonline.com",
    "login.live.com",
    "appleid.apple.com",
    "github.com/login",
)
# Tauri's schema: productName must match ^[^/\\:*?"<>|]+$ (it names files and folders).
_NOT_IN_PRODUCT_NAME = re.compile(r'[/\\:*?"<>|]+')


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


def host_product_name(cfg: AppConfig) -> str:
    """The productName the bundler uses on this OS (Linux: the machine name: dpkg and rpm need ASCII)."""
    return {"linux": cfg.name, "windows": windows_product_name(cfg)}.get(host_os(), product_name(cfg))


def _ascii_host(host: str) -> str:
    """A host as the webview reports it (IDNA/punycode, lowercase); '*' labels stay as they are."""
    return urls.ascii_host(host)  # the conversion the config rules checked


def internal_hosts(cfg: AppConfig) -> list[str]:
    """Host globs that stay in the app: the site's own host (without `www.`) and its subdomains,
    `internal_hosts`, and the app's own local host. Everything else opens in the system browser.
    Hosts are written as the runtime compares them (`Url::host_str()`): an IPv6 address in brackets."""
    hosts = [LOCAL_HOST]
    if cfg.app.url:
        site = urls.parse(cfg.app.url, ("http", "https"))
        own = site.host.removeprefix("www.")
        hosts += [own] if site.is_ip else [own, "*." + own]
    hosts += [_ascii_host(h) for h in cfg.behavior.internal_hosts]
    return list(dict.fromkeys(hosts))


def signin_hosts(cfg: AppConfig) -> list[str]:
    """The sign-in pages as the runtime compares them: the host in punycode, lowercase, then its path prefix."""
    out = []
    for entry in (*SIGNIN_HOSTS, *cfg.behavior.signin_hosts):
        host, slash, path = entry.partition("/")
        out.append(_ascii_host(host) + slash + path)
    return list(dict.fromkeys(out))


def injected_css(cfg: AppConfig) -> str:
    """The inject .css files in order, then one hiding rule per selector (a bad selector drops only its rule)."""
    parts = [p.read_text(encoding="utf-8") for p in cfg.behavior.inject if p.suffix.lower() == ".css"]
    parts += [f"{sel} {{ display: none !important; }}" for sel in cfg.behavior.hide_selectors]
    return "\n".join(parts)


def injected_js(cfg: AppConfig) -> dict[str, bytes]:
    """The inject .js files, renamed `NN-stem.js`: their order is in the name, and the name is safe anywhere."""
    out: dict[str, bytes] = {}
    scripts = [p for p in cfg.behavior.inject if p.suffix.lower() == ".js"]
    for i, path in enumerate(scripts, 1):
        stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "script"
        out[f"{i:02d}-{stem}.js"] = path.read_bytes()
    return out


def window_config(cfg: AppConfig) -> dict[str, Any]:
    """The main window as Tauri's config describes it (`WindowConfig`, camelCase keys)."""
    w, b = cfg.window, cfg.behavior
    window: dict[str, Any] = {"label": "main", "create": False, "title": cfg.app.title}
    if cfg.app.url:
        window["url"] = cfg.app.url
    window.update(width=w.width, height=w.height)
    for key, value in (
        ("minWidth", w.min_width),
        ("minHeight", w.min_height),
        ("maxWidth", w.max_width),
        ("maxHeight", w.max_height),
    ):
        if value is not None:
            window[key] = value
    window.update(
        resizable=w.resizable,
        fullscreen=w.fullscreen,
        maximized=w.maximized,
        alwaysOnTop=w.always_on_top,
        decorations=w.decorations,
        center=w.center,
    )
    if w.hide_title_bar:
        window.update(titleBarStyle="Overlay", hiddenTitle=True)
    if w.user_agent:
        window["userAgent"] = w.user_agent
    if w.proxy:
        window["proxyUrl"] = w.proxy
    if w.theme != "system":
        window["theme"] = w.theme.capitalize()
    if b.start_hidden:
        window["visible"] = False
    window.update(zoomHotkeysEnabled=w.zoom_hotkeys, incognito=w.incognito, devtools=b.devtools)
    # Files dropped on the page reach the page (as in a browser), not Tauri's drag-drop event, which no page hears.
    window["dragDropEnabled"] = False
    return window


def settings(cfg: AppConfig, scripts: list[str]) -> dict[str, Any]:
    """`localpack/app.json`: read by the runtime (runtime/src/settings.rs) when the app starts."""
    b, w = cfg.behavior, cfg.window
    download_dir: Path | None = b.download_dir
    return {
        "identifier": cfg.app.identifier,
        "product_name": host_product_name(cfg),
        "version": cfg.app.version,
        "title": cfg.app.title,
        "url": cfg.app.url or None,
        "start_page": bool(cfg.app.url) and b.retry_page,
        "window": window_config(cfg),
        "zoom": w.zoom / 100,
        "title_from_page": w.title_from_page,
        "new_window": w.new_window,
        "links": {
            "browser": b.external_links == "browser",
            "internal_hosts": internal_hosts(cfg),
            "signin_hosts": signin_hosts(cfg),
            "open_schemes": [s.lower() for s in b.open_schemes],
        },
        "page": {
            "remote": bool(cfg.app.url),
            "css": injected_css(cfg),
            "reload_shortcut": b.reload_shortcut,
            "context_menu": b.context_menu,
            "find_in_page": b.find_in_page,
            "jquery": b.inject_jquery,
        },
        "scripts": scripts,
        "single_instance": b.single_instance,
        "remember_window": b.remember_window,
        "tray": {"enabled": b.tray, "hide_on_close": b.hide_on_close},
        "autostart": b.autostart,
        "downloads": {"enabled": b.downloads, "dir": str(download_dir) if download_dir else None},
        "activation_shortcut": b.activation_shortcut or None,
        "web": {
            "notifications": b.notifications,
            "allow": list(b.permissions),
            "trusted_certificates": [
                dict(zip(("host", "sha256"), _ascii_pair(t), strict=True)) for t in b.trusted_certificates
            ],
        },
    }


def _ascii_pair(entry: str) -> tuple[str, str]:
    """`host=AB:CD:…` → (the host as the webview reports it, the fingerprint in upper case)."""
    host, _, fingerprint = entry.partition("=")
    return _ascii_host(host), fingerprint.upper()
