"""The `localpack` command: thin Typer wiring over the layers.

`main()` is the one place where errors become exit codes (design.md):
a `LocalpackError` prints one line plus its hint; anything else is a bug,
written with its traceback to a log file whose path is printed.
"""

from __future__ import annotations

import signal
import sys
import traceback
from datetime import datetime, timezone

import typer

from localpack import __version__, output
from localpack.errors import Interrupted, LocalpackError

app = typer.Typer(
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


from localpack.cli import build, cache, doctor, icon, offline, project, report  # noqa: E402  (each registers its commands on `app`)

project.register(app)
build.register(app)
cache.register(app)
doctor.register(app)
report.register(app)
icon.register(app)
offline.register(app)


def _internal_error(exc: BaseException) -> int:
    from localpack.paths import Paths

    try:
        logs = Paths.from_env().logs
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / f"crash-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.log"
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = f"details are in {path}"
    except OSError:
        where = "".join(traceback.format_exception(exc))
    output.info(f"error: internal error ({type(exc).__name__}: {exc}); this is a bug in localpack")
    output.info(f"hint: {where}; please include it when you report the problem")
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
    except LocalpackError as e:
        output.error(e)
        sys.exit(e.exit_code)
    except Exception as e:  # noqa: BLE001 - the one place a bug is turned into exit 1
        sys.exit(_internal_error(e))
