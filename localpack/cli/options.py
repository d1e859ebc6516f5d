"""Options shared by several commands: the config overrides, and `--json` error output."""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Optional

import typer

from localpack import output
from localpack.config.model import DEFAULT_CONFIG, AppConfig, load
from localpack.errors import ConfigError, LocalpackError
from localpack.fsutil import user_path
from localpack.paths import Paths

# Not a config key: the overrides read from a PakePlus ppconfig.json (expanded by `load_config`).
PAKEPLUS = "pakeplus"
# (parameter, flag, config key, type, help). Paths are resolved against the current directory.
OVERRIDES: list[tuple[str, str, str, Any, str]] = [
    ("url", "--url", "app.url", str, "Web site to wrap (replaces the config's url/dist)."),
    ("dist", "--dist", "app.dist", Path, "Folder with index.html (replaces the config's url/dist)."),
    ("name", "--name", "app.name", str, "Machine name: binary and package name."),
    ("title", "--title", "app.title", str, "Name people see."),
    ("identifier", "--identifier", "app.identifier", str, "Reverse-DNS app id."),
    ("app_version", "--app-version", "app.version", str, "App version, major.minor.patch."),
    ("icon", "--icon", "app.icon", Path, "Icon image (png/jpg/webp/svg)."),
    ("width", "--width", "window.width", int, "Window width in pixels."),
    ("height", "--height", "window.height", int, "Window height in pixels."),
    ("user_agent", "--user-agent", "window.user_agent", str, "Replace the webview's user agent."),
    ("theme", "--theme", "window.theme", str, "system, light or dark."),
    ("zoom", "--zoom", "window.zoom", int, "Page zoom in percent."),
    ("proxy", "--proxy", "window.proxy", str, "http:// or socks5:// proxy for the webview."),
    ("fullscreen", "--fullscreen/--no-fullscreen", "window.fullscreen", bool, "Start full screen."),
    ("devtools", "--devtools/--no-devtools", "behavior.devtools", bool, "Allow the web inspector."),
    ("tray", "--tray/--no-tray", "behavior.tray", bool, "A tray icon with show/hide/quit."),
    ("title_from_page", "--title-from-page/--no-title-from-page", "window.title_from_page", bool,
     "The window title follows the page's title."),
    ("new_window", "--new-window", "window.new_window", str,
     "same or new: where window.open / target=_blank to the app's site opens."),
    ("autostart", "--autostart/--no-autostart", "behavior.autostart", bool, "Start the app at login."),
    ("context_menu", "--context-menu/--no-context-menu", "behavior.context_menu", bool,
     "Allow the right-click menu."),
    ("inject_jquery", "--inject-jquery/--no-inject-jquery", "behavior.inject_jquery", bool,
     "Load the bundled jQuery into every page."),
    ("downloads", "--downloads/--no-downloads", "behavior.downloads", bool, "Save the downloads the page starts."),
    ("download_dir", "--download-dir", "behavior.download_dir", Path, "Folder for downloads (default: Downloads)."),
    ("find_in_page", "--find-in-page/--no-find-in-page", "behavior.find_in_page", bool, "Ctrl/Cmd+F searches the page."),
    ("activation_shortcut", "--activation-shortcut", "behavior.activation_shortcut", str,
     "Global shortcut that shows the app, e.g. CmdOrCtrl+Shift+K ('' for none)."),
    ("from_pakeplus", "--from-pakeplus", PAKEPLUS, Path, "A PakePlus ppconfig.json; other flags override it."),
]


def with_overrides(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add the override flags to a command; it receives them as `overrides: dict` ("section.key" → value)."""
    sig = inspect.signature(fn)
    params = [p for p in sig.parameters.values() if p.name != "overrides"]
    for param, flag, _key, typ, help_text in OVERRIDES:
        params.append(
            inspect.Parameter(
                param,
                inspect.Parameter.KEYWORD_ONLY,
                default=typer.Option(None, flag, help=help_text, rich_help_panel="Overrides"),
                annotation=Optional[typ],
            )
        )

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        overrides: dict[str, Any] = {}
        for param, _flag, key, typ, _help in OVERRIDES:
            value = kwargs.pop(param, None)
            if value is not None:  # paths resolved against the current directory; the PakePlus file as given
                overrides[key] = user_path(value) if typ is Path and key != PAKEPLUS else value
        return fn(*args, overrides=overrides, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    return wrapper


def load_config(config_file: Optional[Path], overrides: dict[str, Any]) -> AppConfig:
    """The config of a command: CONFIG if given (must exist), else ./localpack.toml if present, plus flags
    (and a `--from-pakeplus` file's values, which the other flags override)."""
    pakeplus_file = overrides.get(PAKEPLUS)
    if pakeplus_file is not None:
        from localpack.config.pakeplus import to_overrides  # lazy: only --from-pakeplus needs the importer

        flags = {k: v for k, v in overrides.items() if k != PAKEPLUS}
        has_source = "app.url" in flags or "app.dist" in flags
        overrides = {**to_overrides(pakeplus_file, Paths.from_env().cache, has_source=has_source), **flags}
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
