"""Every key of localpack.toml, declared once.

A `Key` holds all that localpack knows of one key: its section and name, its kind, default and rule, its help
text (English; other languages in the ui's catalogues under `help_id`), its command-line flag, the example and
comment `init` writes, the README's words, and the PakePlus field it is copied from. The section dataclasses
(`model.py`), the type checks, the CLI flags (`cli/options.py`), the ui's form (`ui/form.py`), the JSON Schema
(`schema.py`), `init`'s commented file and the README's key table (`docs.py`) are all made from `KEYS`, so a new
key is one `Key(...)` here plus the runtime code that reads it.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localpack.config import rules
from localpack.config.rules import Rule
from localpack.core.targets import TARGETS


class Kind(enum.Enum):
    """What a value is: its TOML type, the flag's type and the form's input follow from it."""

    TEXT = "text"
    MULTILINE = "multiline"  # text with newlines allowed: a textarea in the form
    CHOICE = "choice"  # one of `choices`: a <select>
    INT = "int"
    BOOL = "bool"
    LIST = "list"  # a list of text
    TARGETS = "targets"  # a list of installer formats: the form offers this platform's
    PATH = "path"
    ICON = "icon"  # a path to an image: the form uploads it
    PATHS = "paths"  # a list of paths

    @property
    def many(self) -> bool:
        return self in (Kind.LIST, Kind.TARGETS, Kind.PATHS)

    @property
    def is_path(self) -> bool:
        return self in (Kind.PATH, Kind.ICON, Kind.PATHS)

    @property
    def item(self) -> type:
        """The type of the value (of each item, for a list)."""
        if self.is_path:
            return Path
        return {Kind.INT: int, Kind.BOOL: bool}.get(self, str)

    def python_type(self, optional: bool) -> Any:
        """The annotation of the section dataclass's field."""
        typ: Any = tuple[self.item, ...] if self.many else self.item
        return typ | None if optional else typ


@dataclass(frozen=True)
class Key:
    section: str
    name: str
    kind: Kind
    default: Any
    rule: Rule | None = None
    help: str = ""
    choices: tuple[str, ...] = ()  # CHOICE: what the form offers (the rule decides what is valid)
    flag: str = ""  # the option's name without "--"; default: the key's name with '-' for '_'
    example: str = ""  # TOML value `init` shows commented out; default: the default
    comment: str | None = None  # `init`'s comment after the example; default: `help`
    pakeplus: tuple[str, ...] = ()  # ppconfig.json fields copied unchanged; with several, the first present wins
    note: str = ""  # the README table's further words (the rule in full, the platform's behaviour)
    shown_default: str = ""  # the README's default when the value alone does not say it

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def help_id(self) -> str:
        """The help text's id in the ui's catalogues (English reads `help` itself)."""
        return f"help.{self.dotted}"

    @property
    def label_id(self) -> str:
        """The form label's id in the ui's catalogues."""
        return f"field.{self.dotted}"

    @property
    def optional(self) -> bool:
        """None (unset) is a valid value: the runtime chooses."""
        return self.default is None

    @property
    def option(self) -> str:
        """The flag as Typer declares it: `--width`, `--tray/--no-tray`."""
        name = self.flag or self.name.replace("_", "-")
        return f"--{name}/--no-{name}" if self.kind is Kind.BOOL else f"--{name}"

    @property
    def param(self) -> str:
        """The command function's parameter that receives the flag."""
        return (self.flag or self.name).replace("-", "_")

    @property
    def flag_help(self) -> str:
        """The help as the flag's sentence: a capital only where the first word is a plain word
        ("macOS", "png/jpg/…", "http://", "window.open" keep theirs)."""
        first = self.help.split(" ", 1)[0]
        text = (self.help[:1].upper() + self.help[1:] if first.isalpha() and first.islower() else self.help) + "."
        return text + " Repeat for several." if self.kind.many else text

    @property
    def toml_example(self) -> str:
        return self.example or toml(self.default)


def toml(value: Any) -> str:
    """A default as TOML text (`init`'s example, the README's default)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # bools, numbers and plain strings read the same in TOML


T, ML, CH, INT, BOOL, LIST, PATH, PATHS = (
    Kind.TEXT,
    Kind.MULTILINE,
    Kind.CHOICE,
    Kind.INT,
    Kind.BOOL,
    Kind.LIST,
    Kind.PATH,
    Kind.PATHS,
)
_WIN = "more.windows."
_SIZE_NOTE = "1 to 100000; `min_*` ≤ size ≤ `max_*`"

# Sections in file order, with what each holds (the JSON Schema's descriptions).
SECTIONS: dict[str, str] = {
    "app": "The app: its names, version, and what it wraps (url or dist).",
    "window": "The main window.",
    "behavior": "What the app does around the page.",
    "bundle": "Installers and their metadata.",
    "report": "Where `localpack report` files build failures.",
}

KEYS: tuple[Key, ...] = (
    # ------------------------------------------------------------ [app]
    Key(
        "app",
        "name",
        T,
        "",
        rules.name,
        "machine name: binary and package name",
        example='"my-app"',
        comment="required: lowercase letters, digits, '-': binary and package name",
        shown_default="—",
        note="`^[a-z][a-z0-9-]{0,62}$`, not `build`, `deps`, `examples` or `incremental` (cargo's own folders)",
    ),
    Key(
        "app",
        "title",
        T,
        "",
        rules.nonempty_printable,
        "shown to people (window, menus, desktop entry)",
        example='"My App"',
        comment="what people see (window, menus, desktop entry); any text",
        shown_default="the name",
        note="any printable text (CJK, quotes, emoji…)",
    ),
    Key(
        "app",
        "identifier",
        T,
        "",
        rules.identifier,
        "reverse-DNS id, e.g. com.example.desktop",
        example='"com.example.myapp"',
        comment="reverse-DNS, unique per app",
        shown_default="`com.localpack.<name>`",
        note="ASCII letters, digits, `-`, at least one `.`",
    ),
    Key(
        "app",
        "version",
        T,
        "1.0.0",
        rules.version,
        "major.minor.patch",
        flag="app-version",
        comment="",
        note="each number at most 18446744073709551615 (with `msi` in `bundle.targets`: at most 255.255.65535)",
    ),
    Key(
        "app",
        "description",
        ML,
        "",
        rules.printable(allow_newlines=True),
        "one line about the app",
        comment="",
        note="newlines allowed (packages get it as one line)",
    ),
    Key(
        "app",
        "url",
        T,
        "",
        rules.http_url,
        "the site to wrap (exactly one of url / dist)",
        example='"https://example.com"',
        comment="the site to wrap",
        shown_default="—",
        note="an `http(s)://` URL with a host, read the same by the webview's parser and Python's",
    ),
    Key(
        "app",
        "dist",
        PATH,
        None,
        None,
        "a folder containing index.html (exactly one of url / dist)",
        example='"./web"',
        comment="a folder with index.html (a local web app)",
        shown_default="—",
        note="symbolic links in it: see below",
    ),
    Key(
        "app",
        "dist_include",
        LIST,
        (),
        rules.each(rules.dist_include),
        "hidden files of app.dist to ship anyway (paths or globs relative to it)",
        flag="dist-include",
        comment='hidden files of app.dist to ship anyway, e.g. [".htaccess", "assets/.config/*"]',
        note="files and folders whose name starts with `.` (but `.well-known/`), `name~`, `#name#`, `*.swp`, "
        "`*.swo`, `Thumbs.db` and `desktop.ini` are left out, with a warning naming them; `*` and `?` match "
        "within one folder, `**` any number of folders, a folder's name all it holds",
    ),
    Key(
        "app",
        "icon",
        Kind.ICON,
        None,
        None,
        "png/jpg/webp/svg; default: a built-in icon",
        example='"icon.png"',
        comment="png/jpg/webp/svg, ideally 1024x1024; default: a built-in icon",
        shown_default="built-in icon",
        note="`.png`, `.jpg`, `.webp`, `.svg`",
    ),
    Key("app", "icon_round", BOOL, False, None, "round the icon's corners", note="PakePlus's `iconRound`"),
    # ------------------------------------------------------------ [window]
    Key("window", "width", INT, 1200, rules.positive, "window width in pixels", comment="", note=_SIZE_NOTE),
    Key("window", "height", INT, 780, rules.positive, "window height in pixels", comment="", note=_SIZE_NOTE),
    Key(
        "window",
        "min_width",
        INT,
        None,
        rules.positive,
        "smallest width the window can be made, in pixels",
        example="400",
        comment="",
        pakeplus=(_WIN + "minWidth",),
        note="1 to 100000",
    ),
    Key(
        "window",
        "min_height",
        INT,
        None,
        rules.positive,
        "smallest height the window can be made, in pixels",
        example="300",
        comment="",
        pakeplus=(_WIN + "minHeight",),
        note="1 to 100000",
    ),
    Key(
        "window",
        "max_width",
        INT,
        None,
        rules.positive,
        "largest width the window can be made, in pixels",
        example="1920",
        comment="",
        pakeplus=(_WIN + "maxWidth",),
        note="1 to 100000",
    ),
    Key(
        "window",
        "max_height",
        INT,
        None,
        rules.positive,
        "largest height the window can be made, in pixels",
        example="1080",
        comment="",
        pakeplus=(_WIN + "maxHeight",),
        note="1 to 100000",
    ),
    Key(
        "window",
        "resizable",
        BOOL,
        True,
        None,
        "the user can resize the window",
        comment="",
        pakeplus=(_WIN + "resizable",),
    ),
    Key("window", "fullscreen", BOOL, False, None, "start full screen", comment="", pakeplus=(_WIN + "fullscreen",)),
    Key("window", "maximized", BOOL, False, None, "start maximized", comment="", pakeplus=(_WIN + "maximized",)),
    Key(
        "window",
        "always_on_top",
        BOOL,
        False,
        None,
        "keep the window above other windows",
        comment="",
        pakeplus=(_WIN + "alwaysOnTop",),
    ),
    Key(
        "window",
        "decorations",
        BOOL,
        True,
        None,
        "the native title bar and borders",
        comment="false: no native title bar and borders",
        pakeplus=(_WIN + "decorations",),
    ),
    Key(
        "window",
        "center",
        BOOL,
        True,
        None,
        "open the window in the middle of the screen",
        comment="",
        pakeplus=(_WIN + "center",),
    ),
    Key(
        "window",
        "hide_title_bar",
        BOOL,
        False,
        None,
        "macOS: overlay title bar",
        comment="macOS: content under a transparent title bar",
    ),
    Key("window", "zoom", INT, 100, rules.zoom, "page zoom in percent", note="20–500 (`set_zoom` on the webview)"),
    Key(
        "window",
        "user_agent",
        T,
        "",
        rules.printable(),
        "replace the webview's user agent",
        comment="",
        pakeplus=(_WIN + "userAgent",),
        note="printable text",
    ),
    Key(
        "window",
        "incognito",
        BOOL,
        False,
        None,
        "keep no cookies or storage between runs",
        pakeplus=(_WIN + "incognito",),
    ),
    Key(
        "window",
        "proxy",
        T,
        "",
        rules.proxy,
        "http:// or socks5:// proxy for the webview",
        comment="http:// or socks5://",
        pakeplus=(_WIN + "proxyUrl",),
        note="a URL with a host",
    ),
    Key(
        "window",
        "theme",
        CH,
        "system",
        rules.one_of(*rules.THEMES),
        "'system', 'light' or 'dark'",
        choices=rules.THEMES,
        comment='"system", "light" or "dark"',
    ),
    Key(
        "window",
        "zoom_hotkeys",
        BOOL,
        True,
        None,
        "Ctrl/Cmd +/- zoom the page",
        pakeplus=(_WIN + "zoomHotkeysEnabled",),
    ),
    Key(
        "window",
        "title_from_page",
        BOOL,
        True,
        None,
        "the window title follows the page's title (the app's title when it has none)",
        pakeplus=("desktop.pageTitle",),
    ),
    Key(
        "window",
        "new_window",
        CH,
        "same",
        rules.one_of(*rules.NEW_WINDOW),
        "window.open / target=_blank to the app's own site: 'same' window or a 'new' one",
        choices=rules.NEW_WINDOW,
        comment='window.open / target=_blank to the app\'s own site: "same" window or a "new" one',
    ),
    # ------------------------------------------------------------ [behavior]
    Key(
        "behavior",
        "single_instance",
        BOOL,
        True,
        None,
        "a second launch focuses the running app",
        pakeplus=("desktop.single", "single"),
    ),
    Key(
        "behavior",
        "remember_window",
        BOOL,
        True,
        None,
        "restore size and position",
        pakeplus=("desktop.state", "state"),
    ),
    Key(
        "behavior",
        "external_links",
        CH,
        "browser",
        rules.one_of(*rules.EXTERNAL_LINKS),
        "'browser' or 'app'",
        choices=rules.EXTERNAL_LINKS,
        comment='"browser": other sites open in the system browser; "app": stay inside',
    ),
    Key(
        "behavior",
        "internal_hosts",
        LIST,
        (),
        rules.each(rules.host_glob),
        "extra hosts that stay in the app (globs)",
        flag="internal-host",
        comment='extra hosts that belong to the app, e.g. ["*.example.com"]',
        note='host globs, e.g. `"*.example.com"`: letters, digits, `-`, `_`, `*`; international names convert to '
        "punycode, each part at most 63 characters",
    ),
    Key(
        "behavior",
        "signin_hosts",
        LIST,
        (),
        rules.each(rules.signin_host),
        "more sign-in pages that always open in the app: window.open to them gets a popup that keeps window.opener",
        flag="signin-host",
        comment='more sign-in pages kept in the app as popups, e.g. ["login.example.com"]',
        note="host globs as in `internal_hosts`, optionally with a path prefix (`sso.example.com/auth`); always "
        "included: `accounts.google.com`, `login.microsoftonline.com`, `login.live.com`, `appleid.apple.com`, "
        "`github.com/login`",
    ),
    Key(
        "behavior",
        "open_schemes",
        LIST,
        (),
        rules.each(rules.open_scheme),
        "more URL schemes the app hands to their programs, e.g. zoommtg (http, https, mailto, tel always)",
        flag="open-scheme",
        comment='more schemes handed to their programs, e.g. ["zoommtg", "msteams"]',
        note="scheme names without `:`; never `file`, `javascript`, `data` or `vbscript` (any letter case); "
        "every other scheme is refused and logged",
    ),
    Key(
        "behavior",
        "inject",
        PATHS,
        (),
        None,
        ".js/.css files run in every page",
        comment='.js/.css files run in every page, in order, e.g. ["custom.css"]',
        note="existing files",
    ),
    Key(
        "behavior",
        "hide_selectors",
        LIST,
        (),
        rules.each(rules.selector),
        "CSS selectors hidden on every page",
        flag="hide-selector",
        comment='CSS selectors hidden on every page, e.g. [".ad-banner"]',
    ),
    Key(
        "behavior",
        "devtools",
        BOOL,
        False,
        None,
        "allow the web inspector",
        note="adds tauri's `devtools` feature for release builds",
    ),
    Key("behavior", "reload_shortcut", BOOL, True, None, "Ctrl/Cmd+R and F5 reload the page"),
    Key(
        "behavior",
        "retry_page",
        BOOL,
        True,
        None,
        "url apps: a page that retries while the site cannot be reached",
        comment="url apps: a retry screen while the site cannot be reached",
        note="the app starts on a bundled page that opens the site once it answers",
    ),
    Key(
        "behavior",
        "tray",
        BOOL,
        False,
        None,
        "a system tray icon with show/hide/quit",
        comment="a tray icon with show/hide/quit (Linux: needs libayatana-appindicator3)",
        note="Linux: needs `libayatana-appindicator3-dev` at build time",
    ),
    Key("behavior", "hide_on_close", BOOL, False, None, "closing the window hides it to the tray (needs tray)"),
    Key(
        "behavior",
        "start_hidden",
        BOOL,
        False,
        None,
        "start in the tray, window hidden (needs tray)",
        comment="start in the tray (needs tray)",
    ),
    Key(
        "behavior",
        "autostart",
        BOOL,
        False,
        None,
        "start the app when the user logs in",
        comment="start the app when you log in",
        pakeplus=("desktop.autoStart",),
        note="Tauri's autostart plugin",
    ),
    Key(
        "behavior",
        "context_menu",
        BOOL,
        True,
        None,
        "false: the right-click menu does not open",
        pakeplus=("desktop.rightClick", "rightClick"),
    ),
    Key(
        "behavior",
        "inject_jquery",
        BOOL,
        False,
        None,
        "load the bundled jQuery into every page (no CDN, works offline)",
        pakeplus=("desktop.injectJq", "injectJq"),
        note="pinned, from npm, shipped inside the app",
    ),
    Key(
        "behavior",
        "downloads",
        BOOL,
        True,
        None,
        "downloads the page starts are saved (never overwriting a file)",
        comment="save downloads the page starts; an existing file is never overwritten",
        note="a `download` link, a `Content-Disposition: attachment` reply, a blob URL: saved under its suggested "
        "name, never over an existing file (`name (1).ext`), and the user is told when it is done",
    ),
    Key(
        "behavior",
        "download_dir",
        PATH,
        None,
        None,
        "where downloads go; default: the user's Downloads folder",
        example='"~/Downloads/my-app"',
        comment="where downloads go; default: your Downloads folder",
        shown_default="the Downloads folder",
        note="relative to the file, `~` expands; created when missing, but it must not be (or sit under) a file",
    ),
    Key("behavior", "find_in_page", BOOL, True, None, "Ctrl/Cmd+F searches the page"),
    Key(
        "behavior",
        "activation_shortcut",
        T,
        "",
        rules.shortcut,
        "a global shortcut that shows and focuses the app, e.g. 'CmdOrCtrl+Shift+K'; empty: none",
        example='"CmdOrCtrl+Shift+K"',
        comment="a global shortcut that shows the app from anywhere; needs a modifier",
        shown_default='`""` (none)',
        note="see below",
    ),
    Key(
        "behavior",
        "notifications",
        CH,
        "ask",
        rules.one_of(*rules.NOTIFICATIONS),
        "web notifications: 'ask' once per site and remember, 'allow' or 'deny'",
        choices=rules.NOTIFICATIONS,
        comment='web notifications: "ask" once per site (the answer is kept), "allow" or "deny"',
        note="each becomes a desktop notification with the app's name and icon; a click brings the app to the front",
    ),
    Key(
        "behavior",
        "permissions",
        LIST,
        (),
        rules.each(rules.one_of(*rules.PERMISSIONS)),
        "what a page is given when it asks (camera, microphone, screen, geolocation, clipboard, storage); "
        "the rest is denied",
        flag="permission",
        example='["microphone", "camera"]',
        comment="given when a page asks: camera microphone screen geolocation clipboard storage; the rest is denied",
        shown_default="`[]` (all denied)",
        note="every request gets the engine's real answer at once; none is left pending",
    ),
    Key(
        "behavior",
        "trusted_certificates",
        LIST,
        (),
        rules.each(rules.trusted_certificate),
        "a self-signed or private-CA certificate accepted for one host: 'host=SHA-256 fingerprint'",
        flag="trusted-certificate",
        example='["intranet.example=AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:CD"]',
        comment='certificates to accept for one host each: "host=AB:CD:…" (SHA-256, 32 hex pairs)',
        note='`host=AB:CD:…` (the SHA-256 of the certificate, 32 hex pairs); never a blanket "ignore errors"',
    ),
    # ------------------------------------------------------------ [bundle]
    Key(
        "bundle",
        "targets",
        Kind.TARGETS,
        (),
        rules.each(rules.one_of(*TARGETS)),
        "installer formats; empty: this platform's",
        choices=TARGETS,
        flag="bundle-target",
        comment="deb rpm appimage msi nsis app dmg; empty: this platform's defaults",
        shown_default="this platform's",
        note="`deb rpm appimage msi nsis app dmg`; `build --targets` picks among them",
    ),
    Key(
        "bundle",
        "publisher",
        T,
        "",
        rules.publisher,
        "who publishes the app (the installers' vendor)",
        comment="",
        note='none of `" & < > \\ { } [ ]`, `$(`, `!(` (see below)',
    ),
    Key(
        "bundle",
        "category",
        CH,
        "",
        rules.category,
        "one of Tauri's categories, e.g. 'Utility'",
        choices=("", *rules.CATEGORIES),
        example='"Utility"',
        comment="one of Tauri's categories: Productivity, DeveloperTool, Game, …",
        note='spelled as the bundler accepts, e.g. `"developer tool"`',
    ),
    Key("bundle", "copyright", T, "", rules.printable(), "the copyright line of the installers", comment=""),
    Key(
        "bundle",
        "license",
        T,
        "",
        rules.printable(),
        "an SPDX expression, e.g. 'MIT'",
        example='"MIT"',
        comment="an SPDX expression",
    ),
    Key(
        "bundle",
        "long_description",
        ML,
        "",
        rules.printable(allow_newlines=True),
        "a longer description for the packages",
        comment="",
    ),
    Key(
        "bundle",
        "keywords",
        LIST,
        (),
        rules.each(rules.keyword),
        "Linux desktop entry Keywords",
        flag="keyword",
        note="`Keywords=`",
    ),
    # ------------------------------------------------------------ [report]
    Key(
        "report",
        "repo",
        T,
        "",
        rules.repo,
        "owner/name where `localpack report` files issues",
        flag="report-repo",
        example='"owner/name"',
        comment="where `localpack report` files build failures (optional)",
        note="`owner/name`",
    ),
)

BY_DOTTED: dict[str, Key] = {k.dotted: k for k in KEYS}


def of_section(section: str) -> tuple[Key, ...]:
    return tuple(k for k in KEYS if k.section == section)


# Rules across keys, kept as data so the JSON Schema (schema.py) says them too.
REQUIRED = ("app", "name")
EXACTLY_ONE = ("app", ("url", "dist"))  # a web site, or a folder with index.html
NEEDS_TRAY = ("hide_on_close", "start_hidden")  # [behavior] keys that need tray = true
