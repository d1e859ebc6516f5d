"""Config values → the values that reach a package's metadata, each safe for every format it lands in.

The bundler copies some values into installer metadata without escaping them:
- `app.description` becomes the short description: the `Description:` line of a .deb's control file
  (a newline there starts a new control field), the rpm `Summary`, the AppImage desktop entry's `Comment=`.
  The config allows newlines in it; packages get it as one line (runs of whitespace → one space).
- `productName` on Windows reaches the WiX source (`main.wxs`, XML, rendered twice by Handlebars) and
  registry key paths unescaped: when an msi may be built, characters that XML, Handlebars, the WiX
  preprocessor (`$(…)`, `!(…)`) or MSI formatted text (`[…]`) would read are dropped from it.
- `bundle.publisher` reaches the same WiX places; the config rules refuse those characters in it
  (`config.rules.publisher`), because it is the same value on every platform.
Everything else that reaches metadata is single-line printable text by the config rules, and is escaped
by the bundler where it lands (NSIS script, Info.plist, rpm headers) or by localpack's templates
(tauri.conf.json, Cargo.toml, the deb/rpm desktop entry).
"""

from __future__ import annotations

import dataclasses
import re

from localpack.config.model import AppConfig, AppSection

# XML (& < > "), Handlebars ({ }), MSI formatted text ([ ]), registry key separators (\).
_NOT_IN_WIX = re.compile(r'[&<>"{}\[\]\\]+|[$!](?=\()')


def one_line(text: str) -> str:
    """`text` as one line: every run of whitespace (newlines, tabs) becomes one space."""
    return " ".join(text.split())


def package_app(cfg: AppConfig) -> AppSection:
    """The `[app]` values as templates hand them to the bundler: the description on one line."""
    return dataclasses.replace(cfg.app, description=one_line(cfg.app.description))


def msi_possible(cfg: AppConfig) -> bool:
    """An msi may be built: `bundle.targets` is empty (this platform's defaults) or lists msi."""
    return not cfg.bundle.targets or "msi" in cfg.bundle.targets


def wix_product_name(cfg: AppConfig, name: str) -> str:
    """The Windows product name, minus what WiX would read as markup when an msi may be built."""
    if not msi_possible(cfg):
        return name
    cleaned = " ".join(_NOT_IN_WIX.sub(" ", name).split())
    return cleaned if sum(ch.isalnum() for ch in cleaned) >= 2 else cfg.name
