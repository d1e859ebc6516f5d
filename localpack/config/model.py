"""The app config: `localpack.toml` plus command-line overrides → one immutable `AppConfig`.

All input checking happens here; later layers trust what they get. Every error
names the file, the key and the rule broken, and raises `ConfigError` (exit 2)
before anything is written.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localpack.config import keys, rules
from localpack.config.keys import EXACTLY_ONE, NEEDS_TRAY, REQUIRED
from localpack.config.web_folder import collect as web_folder
from localpack.core.messages import Msg
from localpack.errors import ConfigError
from localpack.fsutil import read_user_file, unknown_home, unwritable_char, user_path

DEFAULT_CONFIG = "localpack.toml"
MAX_CONFIG_BYTES = 1 << 20
# No key takes a number of more digits (the largest range is the pixels' 1..100000); a longer one is refused
# with the key's range before anything prints it (Python refuses to print an integer of over 4,300 digits).
MAX_INT_DIGITS = 18

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _section_class(section: str) -> type:
    """A section's frozen dataclass, one field per key of `keys.KEYS` (its metadata holds the `Key`)."""
    cls = dataclasses.make_dataclass(
        section.capitalize() + "Section",
        [
            (k.name, k.kind.python_type(k.optional), field(default=k.default, metadata={"key": k}))
            for k in keys.of_section(section)
        ],
        frozen=True,
    )
    cls.__module__ = __name__
    return cls


# ---------------------------------------------------------------- model
# The sections are made from the key descriptors, so a key is declared once (keys.py); `cfg.window.width`
# reads as before.
SECTIONS: dict[str, type] = {name: _section_class(name) for name in keys.SECTIONS}
AppSection = SECTIONS["app"]
WindowSection = SECTIONS["window"]
BehaviorSection = SECTIONS["behavior"]
BundleSection = SECTIONS["bundle"]
ReportSection = SECTIONS["report"]


@dataclass(frozen=True)
class AppConfig:
    app: AppSection  # type: ignore[valid-type]
    window: WindowSection  # type: ignore[valid-type]
    behavior: BehaviorSection  # type: ignore[valid-type]
    bundle: BundleSection  # type: ignore[valid-type]
    report: ReportSection  # type: ignore[valid-type]
    source: Path | None  # the config file, None when everything came from flags

    @property
    def name(self) -> str:
        return self.app.name

    @property
    def is_remote(self) -> bool:
        return bool(self.app.url)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (paths as strings) for records and `--json`."""

        def plain(v: Any) -> Any:
            if isinstance(v, Path):
                return str(v)
            if isinstance(v, tuple):
                return [plain(x) for x in v]
            return v

        return {
            name: {f.name: plain(getattr(getattr(self, name), f.name)) for f in dataclasses.fields(cls)}
            for name, cls in SECTIONS.items()
        }


# ---------------------------------------------------------------- loading
class InvalidConfig(ConfigError):
    """Values that break the rules. `problems` holds each one as (key, text): the key as the file spells it
    ("app.name", "[section]"), the text the rule broken (a `Msg`), so a form can show each next to its field."""

    def __init__(self, message: str, hint: str, problems: tuple[tuple[str, str], ...]) -> None:
        super().__init__(message, hint)
        self.problems = problems


class _Problems:
    """Collects every problem so the user sees them all at once, then raises one ConfigError."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[tuple[str, str]] = []

    def add(self, key: str, text: str) -> None:
        self.items.append((key, text))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        key, text = self.items[0]
        message = f"{self.where}: {key} {text}"
        if len(self.items) > 1:
            others = ", ".join(k for k, _ in self.items[1:4])
            message += f" (and {len(self.items) - 1} more: {others}{', …' if len(self.items) > 4 else ''})"
        raise InvalidConfig(
            message, "fix the value and run again; `localpack init` writes a commented example", tuple(self.items)
        )


def read_toml(path: Path) -> dict[str, Any]:
    hint = "create one with `localpack init`, or pass --url/--dist and --name"
    if path.is_dir():
        raise ConfigError(Msg("{path}: is a folder, not a config file", path=path), f"pass {path / DEFAULT_CONFIG}")
    data = read_user_file(path, "config file", hint, limit=MAX_CONFIG_BYTES)
    try:
        text = data.decode("utf-8")
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            raise
        except ValueError:  # int() of a number beyond Python's digit limit: let the type check name its key
            return tomllib.loads(_huge_numbers_bounded(text))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(
            Msg("{path}: not valid TOML: {reason}", path=path, reason=str(e)), "check quotes and brackets on that line"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(Msg("{path}: not UTF-8 text", path=path), "save the file as UTF-8") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and inline tables
        raise ConfigError(
            Msg("{path}: not valid TOML: arrays or tables nested too deeply", path=path),
            "a localpack.toml nests nothing: keys hold text, numbers, booleans or lists of text",
        ) from None
    except ValueError as e:
        raise ConfigError(
            Msg("{path}: not valid TOML: {reason}", path=path, reason=str(e)[:200]), "check the numbers in the file"
        ) from None


# A decimal integer of TOML, or what the scanner must step over to find one: strings and comments.
_TOML_TOKENS = re.compile(
    r'"""(?:[^\\]|\\[\s\S])*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''
    r"|#[^\n]*|(?<![\w.+-])([+-]?)(\d[\d_]*)(?![\w.])"
)


def _huge_numbers_bounded(text: str) -> str:
    """`text` with each decimal integer too long for Python to convert replaced by one just past every key's
    range, so the file parses and the type check says which key holds it and what its range is."""

    def bounded(m: re.Match[str]) -> str:
        digits = m.group(2)
        if digits is None or len(digits) <= MAX_INT_DIGITS:
            return m.group(0)
        return m.group(1) + "9" * (MAX_INT_DIGITS + 1)

    return _TOML_TOKENS.sub(bounded, text)


def whole_number(text: str) -> int | str:
    """A number typed as text (a form field) as the value a key gets: an int, one just past every key's range
    for more digits than any key takes (never converted: Python refuses beyond 4,300 digits, and it would
    be slow), or the text itself when it is no whole number, so the type check says what is wrong."""
    match = re.fullmatch(r"([+-]?)(\d+)", text.strip())
    if match is None:
        return text
    if len(match.group(2).lstrip("0")) > MAX_INT_DIGITS:
        return int(match.group(1) + "9" * (MAX_INT_DIGITS + 1))
    return int(text)


def load(
    config_path: Path | None,
    overrides: Mapping[str, Any] | None = None,
    *,
    require_file: bool = False,
) -> AppConfig:
    """Read `config_path` (if it exists), apply `overrides` ("section.key" → value), validate.

    Relative paths in the file are relative to its folder; override paths must be
    absolute already (the CLI resolves them against the current directory).
    """
    overrides = dict(overrides or {})
    data: dict[str, Any] = {}
    source: Path | None = None
    if config_path is not None and (require_file or config_path.exists() or config_path.is_symlink()):
        source = user_path(config_path)
        data = read_toml(source)
    where = str(config_path) if source else "command line"
    base = source.parent if source else Path.cwd()
    problems = _Problems(where)

    raw: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    for section, body in data.items():
        if section not in SECTIONS:
            problems.add(
                f"[{section}]",
                Msg("is not a known section{suggestion}", suggestion=rules.did_you_mean(section, SECTIONS)),
            )
            continue
        if not isinstance(body, dict):
            problems.add(section, Msg("must be a table like [{section}]", section=section))
            continue
        for key, value in body.items():
            raw[section][key] = value
    for dotted, value in overrides.items():
        section, key = dotted.split(".", 1)
        raw[section][key] = value
    if raw["app"].get("url") and "app.dist" in overrides:
        raw["app"].pop("url")  # a flag for one source replaces the file's other source
    if raw["app"].get("dist") and "app.url" in overrides:
        raw["app"].pop("dist")

    sections = {name: _build_section(name, cls, raw[name], base, problems) for name, cls in SECTIONS.items()}
    problems.raise_if_any()
    app = _finish_app(sections["app"], problems)
    _check_window(sections["window"], problems)
    _check_files(app, sections["behavior"], problems)
    _check_tray(sections["behavior"], problems)
    if "msi" in sections["bundle"].targets:
        _add_problem(problems, "app.version", rules.msi_version(app.version))
    problems.raise_if_any()
    bundle = sections["bundle"]
    if bundle.category:
        bundle = dataclasses.replace(bundle, category=rules.canonical_category(bundle.category))
    return AppConfig(
        app=app,
        window=sections["window"],
        behavior=sections["behavior"],
        bundle=bundle,
        report=sections["report"],
        source=source,
    )


def _resolve_paths(value: Any, base: Path) -> Any:
    """Paths relative to `base` (the config's folder), `~` expanded; absolute ones (flags) stay as they are."""
    if isinstance(value, (str, Path)):
        return user_path(base / Path(value).expanduser()) if str(value) else Path(value)
    if isinstance(value, (list, tuple)):
        return [_resolve_paths(v, base) for v in value]
    return value


def _type_error(value: Any, key: keys.Key) -> str | None:
    """Check `value` against the key's kind; None when it fits. The one check every value passes, from the file,
    a flag, a PakePlus import or the ui's form: so it also refuses what no later step could handle (a NUL byte,
    a character that is not text, `~nobody/…` in a path, a number of more digits than any key's range)."""
    if value is None:
        return None if key.optional else Msg("must be set")
    if key.kind.many:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, (str, Path)) for v in value):
            return Msg('must be a list of strings, e.g. ["a", "b"]')
        return next((bad for bad in (_text_error(str(v), key) for v in value) if bad), None)
    if key.kind is keys.Kind.BOOL:
        return None if isinstance(value, bool) else Msg("must be true or false")
    if key.kind is keys.Kind.INT:
        if not isinstance(value, int) or isinstance(value, bool):
            return Msg("must be a whole number")
        if abs(value) >= 10**MAX_INT_DIGITS:  # never printed: its digits may be more than Python prints
            return (key.rule(value) if key.rule else None) or Msg(
                "must be a whole number of at most {digits} digits", digits=MAX_INT_DIGITS
            )
        return None
    if key.kind.is_path:
        return _text_error(str(value), key) if isinstance(value, (str, Path)) else Msg("must be a path in quotes")
    return _text_error(value, key) if isinstance(value, str) else Msg("must be text in quotes")


def _text_error(text: str, key: keys.Key) -> str | None:
    """What no file name, TOML or JSON file can hold; for a path also `~name` of no user."""
    char = unwritable_char(text)
    if char == "\0":
        return Msg("must not hold a NUL byte (\\0)")
    if char is not None:
        return Msg("must be UTF-8 text (it holds {char}, which is not a character)", char=repr(char))
    home = unknown_home(text) if key.kind.is_path else None
    if home is not None:
        return Msg("cannot be expanded: {home} names no user of this machine (write the path out in full)", home=home)
    return None


def _build_section(name: str, cls: type, values: dict[str, Any], base: Path, problems: _Problems) -> Any:
    known = {k.name: k for k in keys.of_section(name)}
    kwargs: dict[str, Any] = {}
    for key_name, value in values.items():
        dotted = f"{name}.{key_name}"
        key = known.get(key_name)
        if key is None:
            problems.add(dotted, Msg("is not a known key{suggestion}", suggestion=rules.did_you_mean(key_name, known)))
            continue
        bad = _type_error(value, key)
        if bad:
            problems.add(dotted, bad)
            continue
        if isinstance(value, list):
            value = tuple(value)
        if value == "" and key.kind.is_path and key.optional:
            value = None  # an empty optional path means "not set"
        if key.kind.is_path and value is not None:
            resolved = _resolve_paths(value, base)
            value = tuple(resolved) if isinstance(value, tuple) else resolved
        if key.rule and value is not None and value != key.default:  # a default ("" = unset, ()) is always fine
            bad = key.rule(value)
            if bad:
                problems.add(dotted, bad)
                continue
        kwargs[key_name] = value
    try:
        return cls(**kwargs)
    except TypeError:  # pragma: no cover - only reached with problems already recorded
        return cls()


def _finish_app(app: AppSection, problems: _Problems) -> AppSection:
    if not getattr(app, REQUIRED[1]):
        problems.add(".".join(REQUIRED), Msg("is required"))
        return app
    first, second = EXACTLY_ONE[1]
    if bool(getattr(app, first)) == bool(getattr(app, second)):
        problems.add(
            "app.url", Msg("or app.dist: exactly one must be set (a web site URL, or a folder with index.html)")
        )
    title = app.title or app.name
    identifier = app.identifier or "com.localpack." + app.name.replace("-", "")
    return dataclasses.replace(app, title=title, identifier=identifier)


def _check_window(w: WindowSection, problems: _Problems) -> None:
    for axis in ("width", "height"):
        size, lo, hi = getattr(w, axis), getattr(w, f"min_{axis}"), getattr(w, f"max_{axis}")
        if lo is not None and lo > size:
            problems.add(
                f"window.min_{axis}",
                Msg("({low}) must not exceed window.{axis} ({size})", low=lo, axis=axis, size=size),
            )
        if hi is not None and hi < size:
            problems.add(
                f"window.max_{axis}",
                Msg("({high}) must not be below window.{axis} ({size})", high=hi, axis=axis, size=size),
            )


def _add_problem(problems: _Problems, key: str, text: str | None) -> None:
    if text:
        problems.add(key, text)


def _check_files(app: AppSection, behavior: BehaviorSection, problems: _Problems) -> None:
    if app.dist is not None:
        if not app.dist.is_dir():
            problems.add("app.dist", Msg("must be an existing folder ({path} is not)", path=app.dist))
        elif not (app.dist / "index.html").is_file():
            problems.add("app.dist", Msg("must contain index.html ({path} does not)", path=app.dist))
        else:
            try:
                web_folder(app.dist, app.dist_include)  # the symlink and file-name rules render copies it by
            except ConfigError as e:
                problems.add(
                    "app.dist", Msg("must hold only files and folders it can copy: {reason}", reason=e.message)
                )
    if app.icon is not None:
        if not app.icon.is_file():
            problems.add("app.icon", Msg("must be an existing image file ({path} is not)", path=app.icon))
        elif app.icon.suffix.lower() not in rules.ICON_SUFFIXES:
            problems.add("app.icon", Msg("must be a .png, .jpg, .webp or .svg image"))
    for path in behavior.inject:
        if path.suffix.lower() not in (".js", ".css"):
            problems.add("behavior.inject", Msg("item {item} must be a .js or .css file", item=repr(path.name)))
        elif not path.is_file():
            problems.add("behavior.inject", Msg("item {item} does not exist", item=repr(str(path))))
        else:
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                problems.add("behavior.inject", Msg("item {item} must be UTF-8 text", item=repr(path.name)))
    if behavior.download_dir is not None:
        blocker = _first_existing(behavior.download_dir)
        if not blocker.is_dir():
            problems.add(
                "behavior.download_dir",
                Msg("must be a folder, or a path where one can be created ({blocker} is a file)", blocker=str(blocker)),
            )


def _first_existing(path: Path) -> Path:
    """`path` or its nearest ancestor that exists: the app creates the missing rest."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _check_tray(behavior: BehaviorSection, problems: _Problems) -> None:
    for key in NEEDS_TRAY:
        if getattr(behavior, key) and not behavior.tray:
            problems.add(
                f"behavior.{key}", Msg("needs behavior.tray = true (otherwise the hidden window cannot come back)")
            )
