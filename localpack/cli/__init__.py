"""The `localpack` command: thin Typer commands over the layers, human text on stderr, `--json` on stdout.
The top floor: it may import every layer; nothing in the library imports it.

`main()` is the one place where errors become exit codes (docs/architecture.md):
a `LocalpackError` prints one line plus its hint; anything else is a bug,
written with its traceback to a log file whose path is printed.

Each command lives in a module of this folder with a `register(app)` function. `localpack --help` lists
them from `COMMANDS` without importing any of them; a command's module is imported only when that
command runs (or shows its own --help), so start-up does not pay for the whole library.
"""

from __future__ import annotations

import errno
import importlib
import signal
import sys
import traceback
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

from localpack import __version__
from localpack.errors import FILE_ERRNOS, FileProblem, Interrupted, LocalpackError
from localpack.paths import Paths

if TYPE_CHECKING:
    from localpack.output import Console

# Every command, in the order --help lists them: the module of this folder that registers it, and its one-line
# help (the command's docstring or its group's help, which tests/test_layers.py keeps equal to this text).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("project", "Write a commented localpack.toml to start from (or convert a PakePlus project)."),
    "render": ("project", "Render the Tauri project for an app and print its path."),
    "build": (
        "build",
        "Build installers for an app: preflight, render, package it around the compiled runtime "
        "(compiled once), collect into --out.",
    ),
    "doctor": ("doctor", "Check the tools and libraries a build needs, with the command that fixes each problem."),
    "setup": (
        "doctor",
        "Install the pinned Tauri CLI (npm @tauri-apps/cli) into localpack's cache; --system also "
        "installs the system packages a build needs.",
    ),
    "report": ("report", "File a failed build as a GitHub issue (or a comment on the open issue of the same failure)."),
    "icon": ("icon", "Make the icon files Tauri's bundle expects (png sizes, .ico, .icns) from one picture."),
    "prefetch": (
        "offline",
        "Fetch everything a build downloads (crates, Tauri CLI, bundler tools), for `build --offline`. Needs network.",
    ),
    "cache": ("cache", "What localpack's cache holds, and freeing it."),
    "token": ("report", "The optional GitHub token, used only to file build failures as issues."),
    "offline": ("offline", "Carry prefetched data to a machine without network."),
    "ci": ("ci", "Build the installers for every OS in your own CI (GitHub Actions or GitLab CI)."),
    "ui": ("ui", "Open localpack on a local web page in your browser: the whole tool, no terminal needed."),
}


def load_command(name: str) -> Any:
    """The click command `name`, built by Typer from the module that registers it (imported here)."""
    package = f"localpack.cli.{COMMANDS[name][0]}"
    module = importlib.import_module(package)  # lazy: only the command that runs is imported
    commands = typer.Typer(rich_markup_mode=None)
    module.register(commands)
    return typer.main.get_group(commands).commands[name]


class _LazyGroup(TyperGroup):
    """The root command: knows every command by name and help, and builds one only when it is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in COMMANDS:
            for name in COMMANDS:  # an unknown name: load them all, so the error can suggest the closest one
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The Commands section of --help, from COMMANDS, shortened exactly as click shortens a command's help."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name=name, help=text).get_short_help_str(limit))
            for name, (_module, text) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


app = typer.Typer(
    cls=_LazyGroup,
    name="localpack",
    help="Turn a web site or a local web app into a desktop app, built on this machine with Tauri v2.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"localpack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """Turn a web site or a local web app into a desktop app, built on this machine with Tauri v2."""


def _internal_error(console: Console, exc: BaseException) -> int:
    from localpack.fsutil import open_private_log  # lazy: only a crash writes a log; --help stays lean

    try:
        path = Paths.from_env().logs / f"crash-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.log"
        with open_private_log(path) as f:  # 0600: a traceback may show values of the config
            f.write("".join(traceback.format_exception(exc)))
        where = f"details are in {path}"
    except (OSError, LocalpackError):  # no state folder to write to (a full disk, LOCALPACK_HOME a file)
        where = "".join(traceback.format_exception(exc))
    console.info(f"error: internal error ({type(exc).__name__}: {exc}); this is a bug in localpack")
    console.info(f"hint: {where}; please include it when you report the problem")
    return 1


def _raise_interrupted(signum: int, _frame: object) -> None:
    # An exception of our own, not KeyboardInterrupt: Typer would turn that into exit 1.
    raise Interrupted("interrupted" if signum == signal.SIGINT else "stopped by a termination signal")


def main(argv: list[str] | None = None) -> None:
    signal.signal(signal.SIGINT, _raise_interrupted)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _raise_interrupted)
    try:
        app(args=argv, prog_name="localpack")  # exits itself on success and on usage errors (2)
    except Exception as e:  # noqa: BLE001 - the one place an error, or a bug, becomes an exit code
        from localpack.output import Console  # lazy: only an error is said here (events would load on --help)

        if isinstance(e, OSError) and e.errno in FILE_ERRNOS:  # the file system said no: not a bug of localpack
            e = FileProblem.of(e, doing="write" if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EROFS) else "use")
        if isinstance(e, LocalpackError):
            Console().error(e)
            sys.exit(e.exit_code)
        sys.exit(_internal_error(Console(), e))
